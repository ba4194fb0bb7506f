"""nbgrader configuration of the course: plain nbgrader commands work from this folder.

source/      nbgrader source notebooks (solutions and hidden tests)
assignments/ released stubs      (nbgrader generate_assignment; nbgrader's "release" folder)
solutions/   reference solutions (nbgrader generate_solution)
submitted/, autograded/, feedback/ are nbgrader's usual folders when an instructor grades here.
"""
import os

c = get_config()  # noqa: F821  (provided by nbgrader when it reads this file)

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "ml-project-course"
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "assignments"
c.CourseDirectory.solution_directory = "solutions"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(c.CourseDirectory.root, "gradebook.db")
# Every assignment folder in source/ is an assignment; its notebook has the folder's name.
c.CourseDirectory.notebook_id = "*"

# A test cell that prints to stderr scores 0 under nbgrader: our notebooks run without warnings.
c.ExecutePreprocessor.timeout = 120
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

# Solutions are written without outputs: deterministic files that diff cleanly (run them to see plots).
from nbgrader.converters import GenerateAssignment  # noqa: E402
from nbgrader.preprocessors import ClearMarkScheme, ClearOutput, IncludeHeaderFooter, LockCells  # noqa: E402

from autograder.nbgrader_preprocessors import DropWorkedAnswers  # noqa: E402

c.GenerateSolution.preprocessors = [IncludeHeaderFooter, LockCells, ClearOutput, ClearMarkScheme]
# The worked answers of the communication exercises (cells tagged "worked-answer") reach
# solutions/ only: the release drops them before any of nbgrader's own steps.
c.GenerateAssignment.preprocessors = [DropWorkedAnswers, *GenerateAssignment.class_traits()["preprocessors"].default()]
