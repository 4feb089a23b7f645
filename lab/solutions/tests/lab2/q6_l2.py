from otter.test_files import test_case

OK_FORMAT = False

name = "q6_l2"
points = 1

@test_case(points=None, hidden=False)
def test_l2(l2_penalty, l2_gradient):
    from widgets.course.lab.checks import check_l2
    check_l2(l2_penalty, l2_gradient)

