def test_the_tests_here_are_marked_serial(request):
    """tests/conftest.py marks SERIAL's tests as they are collected; marked any later, after
    `-m` has selected, they would run in the parallel pass beside a neighbour and the serial
    pass would select nothing (it did, once). This test is one of them."""
    assert request.node.get_closest_marker("serial") is not None
