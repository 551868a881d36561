# IPython startup file of the notebook image stand-ins: loads the service
# environment the service-discovery init container writes, so kernels see
# the same variables as terminals (which source it from .bashrc).
import os
import shlex

_path = os.path.expanduser("~/.config/thinkube/service-env.sh")
if os.path.exists(_path):
    with open(_path, encoding="utf-8") as _file:
        for _line in _file:
            _line = _line.strip()
            if _line.startswith("export ") and "=" in _line:
                _name, _, _value = _line[len("export "):].partition("=")
                _parts = shlex.split(_value) if _value else [""]
                os.environ[_name] = _parts[0] if _parts else ""
