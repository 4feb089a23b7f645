from otter.test_files import test_case

OK_FORMAT = False

name = "q8_init_coef"
points = 1

@test_case(points=None, hidden=False)
def test_init_coef(GlorotNormalMLP):
    from widgets.course.lab.checks import check_init_coef
    check_init_coef(GlorotNormalMLP)

