"""nbgrader preprocessors of the course, configured in ``nbgrader_config.py``.

``DropWorkedAnswers`` keeps the worked answers of the communication exercises out of the released
assignment: a source cell tagged ``worked-answer`` stays in the source notebook and in
``solutions/`` (``nbgrader generate_solution``) but never reaches ``assignments/``
(``nbgrader generate_assignment``), so it is released only with the solutions, after the deadline.
"""
from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode


class DropWorkedAnswers(NbGraderPreprocessor):
    """Remove every cell that carries the tag ``tag`` from the notebook."""

    tag = Unicode("worked-answer", help="The cell tag that marks a worked answer for the solutions only.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        """The notebook without its tagged cells.

        Parameters
        ----------
        nb : NotebookNode
            The source notebook on its way to the release.
        resources : ResourcesDict
            nbconvert's resources, passed on unchanged.

        Returns
        -------
        tuple of NotebookNode and ResourcesDict
            The notebook without the cells tagged ``tag``, and ``resources``.
        """
        nb.cells = [cell for cell in nb.cells if self.tag not in cell.get("metadata", {}).get("tags", [])]
        return nb, resources
