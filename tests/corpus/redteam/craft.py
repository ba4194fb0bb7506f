# What a hostile learner's code can send the grader from inside a test cell, pasted into attacks
# as @CRAFT@ (tests/test_redteam.py). Every form below once crashed the grader (issue #13).
import json as _json
from IPython.display import display as _display

_MIME = "application/vnd.coursekit.record+json"


def _deep(levels):
    value = []
    for _ in range(levels):
        value = [value]
    return value


def _forge(kind, checkpoint, value=0.0):
    """Send the grader a forged record of ``checkpoint`` (or a broken message) from learner code."""
    kernel = get_ipython().kernel
    parent = kernel.get_parent()
    record = {"checkpoint": checkpoint, "site": 0, "actual": [value]}
    if kind == "empty":  # a value that is an empty object
        record["actual"] = [{}]
    elif kind == "bare":  # a record that is an empty object
        record = {}
    elif kind == "pairs":  # a dict's plain form whose items are not pairs
        record["actual"] = [{"__dict__": [1, [2, 3, 4], "x"]}]
    elif kind == "deep":  # a 600-deep list
        record["actual"] = [_deep(600)]
    elif kind == "order":  # the cell's second check before its first
        record["site"] = 1
    if kind == "digits":  # an int of 5,000 digits, as raw JSON (Python itself would not print it)
        content = (b'{"data": {"' + _MIME.encode() + b'": {"checkpoint": "' + checkpoint.encode()
                   + b'", "site": 0, "actual": [' + b"7" * 5000 + b"]}}, \"metadata\": {}}")
        kernel.session.send(kernel.iopub_socket, "display_data", content=content, parent=parent)
    elif kind == "list_data":  # a display whose data is a list
        content = _json.dumps({"data": [_MIME, record], "metadata": {}}).encode()
        kernel.session.send(kernel.iopub_socket, "display_data", content=content, parent=parent)
    elif kind == "twice":  # one message sent twice with the kernel's own session key
        message = kernel.session.msg("display_data", content={"data": {_MIME: record}, "metadata": {}}, parent=parent)
        kernel.session.send(kernel.iopub_socket, message)
        kernel.session.send(kernel.iopub_socket, message)
    elif kind == "content_list":  # a message whose content is no object
        kernel.session.send(kernel.iopub_socket, "display_data", content=b"[1, 2]", parent=parent)
    elif kind == "bad_transient":  # a display id that is a list
        content = _json.dumps({"data": {"text/plain": "x"}, "metadata": {}, "transient": {"display_id": [1]}}).encode()
        kernel.session.send(kernel.iopub_socket, "display_data", content=content, parent=parent)
    elif kind == "deep_traceback":  # an error message with a 1,500-deep traceback
        content = b'{"ename": "E", "evalue": "v", "traceback": ' + b"[" * 1500 + b"]" * 1500 + b"}"
        kernel.session.send(kernel.iopub_socket, "error", content=content, parent=parent)
    else:
        _display({_MIME: record, "text/plain": "recorded"}, raw=True)


def _wrap(function, kind, checkpoint):
    """``function``, forging a record of ``checkpoint`` before each call."""
    def forged(*args, **kwargs):
        _forge(kind, checkpoint)
        return function(*args, **kwargs)
    return forged
