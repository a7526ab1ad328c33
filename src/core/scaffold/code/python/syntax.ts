/** A Python literal for plain data, for expectations in generated tests. */
export function pyLit(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string' || typeof value === 'number') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pyLit).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${JSON.stringify(k)}: ${pyLit(v)}`)
    .join(', ')}}`;
}

/** The shared top of every generated test module: imports and the saved sample event. */
export function pyTestPreamble(eventFromTest: string, extraImports: string[] = []): string {
  // isort's order: plain imports, then from-imports, each alphabetical.
  const all = ['import json', ...extraImports, 'import unittest', 'from pathlib import Path'];
  const std = [...all.filter((l) => l.startsWith('import ')).sort(), ...all.filter((l) => l.startsWith('from ')).sort()];
  return `"""Unit tests of app.lambda_handler; run them in this folder with: python -m unittest"""

${std.join('\n')}

import app

# The sample event saved for this function; local invokes use the same file.
EVENT_FILE = Path(__file__).parent / ${JSON.stringify(eventFromTest)}


def load_event() -> dict:
    return json.loads(EVENT_FILE.read_text(encoding="utf-8"))


class HandlerTest(unittest.TestCase):
`;
}

export const PY_TEST_FOOTER = `

if __name__ == "__main__":
    unittest.main()
`;

/** The logging setup handlers share: Lambda's Python runtime sends the root logger to CloudWatch. */
export const PY_LOGGER = `logger = logging.getLogger()
logger.setLevel(logging.INFO)`;
