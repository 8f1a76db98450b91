"""Writing plain data as YAML that the safe loader (`yamlsafe`) reads back unchanged."""

from __future__ import annotations

from typing import Any


def dump_yaml(data: Any) -> str:
    import yaml

    class _Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:  # never anchors: the loader refuses them
            return True

    text: str = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return text
