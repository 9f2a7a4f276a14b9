from . import test_satisfaction
