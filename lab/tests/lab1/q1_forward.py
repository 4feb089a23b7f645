from otter.test_files import test_case

OK_FORMAT = False

name = "q1_forward"
points = 1

@test_case(points=None, hidden=False)
def test_forward(forward):
    from widgets.course.lab.checks import check_forward
    check_forward(forward)

