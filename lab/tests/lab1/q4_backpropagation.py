from otter.test_files import test_case

OK_FORMAT = False

name = "q4_backpropagation"
points = 1

@test_case(points=None, hidden=False)
def test_hidden_delta(hidden_delta):
    from widgets.course.lab.checks import check_hidden_delta
    check_hidden_delta(hidden_delta)

@test_case(points=None, hidden=False)
def test_weight_gradients(weight_gradients):
    from widgets.course.lab.checks import check_weight_gradients
    check_weight_gradients(weight_gradients)

