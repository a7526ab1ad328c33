/**
 * Benchmark: discovery + parse (+ handler checks) of a generated workspace of 50 templates and 500
 * functions, next to a plain `yaml` parse of the same files as the floor.
 *   npm run bench:model
 * Prints median times over several runs; asserts only that the model read what was generated.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { FUNCTIONS_PER_TEMPLATE, generate, TEMPLATES } from './workspace';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { checkHandlers, discoverTemplates, loadTemplate, parseTemplate } from '../../src/core/model';
import { CFN_TAGS } from '../../src/core/model/tags';
import { median, ratio } from './instrument';

const RUNS = 9;

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = process.hrtime.bigint();
  const result = await work();
  return [Number(process.hrtime.bigint() - started) / 1e6, result];
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'lwb-bench-model-'));
  try {
    generate(root);
    const paths = await discoverTemplates([root]);
    if (paths.length !== TEMPLATES) throw new Error(`discovered ${paths.length} templates, generated ${TEMPLATES}`);
    const texts = paths.map((p) => readFileSync(p, 'utf8'));

    const samples = {
      workspace: [] as number[],
      pipeline: [] as number[],
      discover: [] as number[],
      parse: [] as number[],
      check: [] as number[],
      floorRead: [] as number[],
      floorParse: [] as number[],
      floorList: [] as number[],
    };
    for (let run = 0; run <= RUNS; run++) {
      // The whole pipeline as the extension and CLI run it: discover, read, parse, check handlers.
      const [workspace, models] = await timed(async () => {
        const found = await discoverTemplates([root]);
        return Promise.all(found.map((p) => loadTemplate(p)));
      });
      const functions = models.reduce((n, m) => n + m.functions.length, 0);
      const problems = models.reduce((n, m) => n + m.problems.length, 0);
      if (functions !== TEMPLATES * FUNCTIONS_PER_TEMPLATE || problems !== 0) {
        throw new Error(`read ${functions} functions with ${problems} problems: ${JSON.stringify(models.flatMap((m) => m.problems).slice(0, 3))}`);
      }
      // Discovery and parsing alone: the same work as the floor below (find, read, parse), no more.
      const [pipeline] = await timed(async () => {
        const found = await discoverTemplates([root]);
        return Promise.all(found.map(async (p) => parseTemplate(p, await readFile(p, 'utf8'))));
      });
      const [discover] = await timed(() => discoverTemplates([root]));
      const [parse, parsed] = await timed(async () => texts.map((text, i) => parseTemplate(paths[i], text)));
      const [check] = await timed(() => Promise.all(parsed.map((m) => checkHandlers(m))));
      // The floor: the same files read in this process and parsed by yaml alone.
      const [floorRead] = await timed(async () => (await Promise.all(paths.map((p) => readFile(p, 'utf8')))).map((t) => parseYaml(t, { customTags: CFN_TAGS })));
      const [floorParse] = await timed(async () => texts.map((t) => parseYaml(t, { customTags: CFN_TAGS })));
      // What a handler check has to ask the file system: each code folder's entries.
      const codeDirs = [...new Set(parsed.flatMap((model) => model.functions.map((f) => f.codeUri).filter((d): d is string => d !== undefined)))];
      const [floorList] = await timed(() => Promise.all(codeDirs.map((d) => readdir(d, { withFileTypes: true }))));
      if (run === 0) continue; // warm-up: JIT and file cache
      samples.workspace.push(workspace);
      samples.pipeline.push(pipeline);
      samples.floorList.push(floorList);
      samples.discover.push(discover);
      samples.parse.push(parse);
      samples.check.push(check);
      samples.floorRead.push(floorRead);
      samples.floorParse.push(floorParse);
    }

    const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])) as Record<keyof typeof samples, number>;
    const ms = (n: number) => `${n.toFixed(1).padStart(7)} ms`;
    const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
    process.stdout.write(
      [
        `model benchmark: ${TEMPLATES} templates, ${TEMPLATES * FUNCTIONS_PER_TEMPLATE} functions, ${(bytes / 1024).toFixed(0)} KiB of YAML; median of ${RUNS} runs`,
        `  discover + read + parse + check handlers ${ms(m.workspace)}`,
        `    discover + read + parse               ${ms(m.pipeline)}`,
        `    discover only                         ${ms(m.discover)}`,
        `    parse only (text in memory)           ${ms(m.parse)}`,
        `    check handlers only                   ${ms(m.check)}`,
        `  floor: read + yaml parse               ${ms(m.floorRead)}`,
        `  floor: yaml parse only (text in memory) ${ms(m.floorParse)}`,
        `  floor: list every code folder           ${ms(m.floorList)}`,
        '',
      ].join('\n'),
    );
    ratio({ bench: 'model', name: 'discover + parse / read + yaml parse', measured: `discover, read and parse ${TEMPLATES} templates into the model (median ${m.pipeline.toFixed(1)} ms)`, reference: `read the same files and parse them with yaml alone (median ${m.floorRead.toFixed(1)} ms)`, value: m.pipeline / m.floorRead, goal: 1.2 });
    ratio({ bench: 'model', name: 'check handlers / list code folders', measured: `check the handlers of ${TEMPLATES * FUNCTIONS_PER_TEMPLATE} functions (median ${m.check.toFixed(1)} ms)`, reference: `list each of their code folders once (median ${m.floorList.toFixed(1)} ms)`, value: m.check / m.floorList });
    ratio({ bench: 'model', name: 'parse / yaml parse', measured: `the template reader on texts in memory (median ${m.parse.toFixed(1)} ms)`, reference: `yaml's parse of the same texts (median ${m.floorParse.toFixed(1)} ms)`, value: m.parse / m.floorParse });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
