from otter.test_files import test_case

OK_FORMAT = False

name = "q2_softmax_cross_entropy"
points = 1

@test_case(points=None, hidden=False)
def test_softmax(softmax):
    from widgets.course.lab.checks import check_softmax
    check_softmax(softmax)

@test_case(points=None, hidden=False)
def test_cross_entropy(cross_entropy):
    from widgets.course.lab.checks import check_cross_entropy
    check_cross_entropy(cross_entropy)

