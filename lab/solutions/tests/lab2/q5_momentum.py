from otter.test_files import test_case

OK_FORMAT = False

name = "q5_momentum"
points = 1

@test_case(points=None, hidden=False)
def test_momentum_step(momentum_step):
    from widgets.course.lab.checks import check_momentum_step
    check_momentum_step(momentum_step)

