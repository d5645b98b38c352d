"""Write the brief's JSON Schema: ``python -m summariser.schemas > schemas/brief.schema.json``."""

import json

from summariser.schemas import Brief

print(json.dumps(Brief.model_json_schema(), indent=2, ensure_ascii=False))
