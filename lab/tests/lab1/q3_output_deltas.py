from otter.test_files import test_case

OK_FORMAT = False

name = "q3_output_deltas"
points = 1

@test_case(points=None, hidden=False)
def test_output_deltas(output_delta_softmax, output_delta_identity):
    from widgets.course.lab.checks import check_output_deltas
    check_output_deltas(output_delta_softmax, output_delta_identity)

