from otter.test_files import test_case

OK_FORMAT = False

name = "q7_training_loop"
points = 1

@test_case(points=None, hidden=False)
def test_train(train):
    from widgets.course.lab.checks import check_train
    check_train(train)

