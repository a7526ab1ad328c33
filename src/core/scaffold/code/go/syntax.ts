/** Go source helpers that keep generated code as gofmt writes it. */

const LAMBDA_GO = 'github.com/aws/aws-lambda-go';

/** An import block: standard library first, then aws-lambda-go packages, each group sorted. */
export function goImports(std: string[], lambdaPackages: string[]): string {
  const lines = [...new Set(std)].sort().map((p) => `\t"${p}"`);
  const third = [...new Set(lambdaPackages)].sort().map((p) => `\t"${LAMBDA_GO}/${p}"`);
  const groups = [lines, third].filter((g) => g.length > 0).map((g) => g.join('\n'));
  return `import (\n${groups.join('\n\n')}\n)`;
}

/** `Key: value,` lines with values aligned, as gofmt aligns keyed composite literals. */
export function alignedFields(fields: [string, string][], indent: string): string {
  const width = Math.max(...fields.map(([k]) => k.length + 1));
  return fields.map(([k, v]) => `${indent}${`${k}:`.padEnd(width)} ${v},`).join('\n');
}

/** A Go string literal. */
export function goString(value: string): string {
  return JSON.stringify(value);
}

/** The test file's shared helpers: reading the saved sample event, and optionally capturing logs. */
export function goTestHelpers(eventFromTest: string, captureLogs: boolean): string {
  const load = `// The sample event saved for this function; local invokes use the same file.
const eventFile = ${goString(eventFromTest)}

func loadEvent(t *testing.T, into any) {
	t.Helper()
	data, err := os.ReadFile(eventFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, into); err != nil {
		t.Fatal(err)
	}
}
`;
  if (!captureLogs) return load;
  return `${load}
// captureLogs collects what the handler logs during one test, one JSON object per line.
func captureLogs(t *testing.T) func() []map[string]any {
	t.Helper()
	var buf bytes.Buffer
	flags := log.Flags()
	log.SetOutput(&buf)
	log.SetFlags(0)
	t.Cleanup(func() {
		log.SetOutput(os.Stderr)
		log.SetFlags(flags)
	})
	return func() []map[string]any {
		var lines []map[string]any
		for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\\n") {
			var entry map[string]any
			if err := json.Unmarshal([]byte(line), &entry); err != nil {
				t.Fatalf("log line %q is not JSON: %v", line, err)
			}
			lines = append(lines, entry)
		}
		return lines
	}
}
`;
}
