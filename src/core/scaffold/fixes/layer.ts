import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../../errors';
import { LIMITS } from '../../limits';
import type { FunctionSpec } from '../../model/types';
import { installedClosure } from '../../size/dependencies';
import type { FileEdit } from '../edits';
import { logicalIdFor } from '../names';
import { editTemplate } from '../template/edit';
import { singleChange } from '../template/insert';
import { ref } from '../template/values';
import { findDistribution, installedDistributions, normalizeName, requirementName } from './python';
import { firstFree, resourceFacts, templateRelative } from './resource';
import { diskSources, type FixPlan, type FixSources } from './types';

/** What goes into the layer folder and what changes in the function's folder. */
interface LayerContents {
  edits: FileEdit[];
  changes: string[];
  notes: string[];
}

/**
 * Moves installed dependencies out of a function's folder into a new layer folder next to the
 * template, laid out the way Lambda mounts layers (nodejs/node_modules, python/), with the
 * manifest that lists them (nodejs/package.json, python/requirements.txt); adds the layer to the
 * template and to the function's Layers, and takes the packages out of the function's manifest.
 * The layer is deployed as its folder is, like the function's own folder: what is measured, run
 * locally and deployed stay the same bytes.
 */
export function planMoveToLayer(fn: FunctionSpec, packages: readonly string[], sources: FixSources = diskSources): FixPlan {
  const facts = resourceFacts(fn, sources, 'moving dependencies into a layer');
  if (packages.length === 0) throw new Error('planMoveToLayer needs at least one package');
  const family = fn.runtime?.startsWith('nodejs') ? 'node' : fn.runtime?.startsWith('python') ? 'python' : undefined;
  if (!family || !fn.runtime) {
    throw new UserError(`${fn.logicalId} runs on ${fn.runtime ?? 'no runtime'}; dependencies are moved into layers for Node.js and Python functions.`, 'Make this change by hand.', 'fix-unsupported');
  }
  if (fn.build) {
    throw new UserError(`${fn.logicalId} is built (BuildMethod ${fn.build.method}), so its installed dependencies are not what it deploys.`, 'Mark the packages as external in the build and add a layer by hand.', 'fix-unsupported');
  }
  if (fn.layers.length >= LIMITS.layersPerFunction) {
    throw new UserError(`${fn.logicalId} already has ${fn.layers.length} layers, the most Lambda allows.`, 'Merge two of its layers first, or add the packages to one of them.', 'too-many-layers');
  }
  const templateDir = dirname(fn.templatePath);
  const slug = packages[0].replace(/^@/, '').replace(/[^A-Za-z0-9._-]+/g, '-').toLowerCase();
  const folderName = firstFree(slug, (c) => existsSync(join(templateDir, 'layers', c)));
  const layerDir = join(templateDir, 'layers', folderName);
  const logicalId = firstFree(`${logicalIdFor(folderName.replace(/\./g, '-'))}Layer`, (c) => facts.resources.has(c));
  const codeDir = fn.codeUri as string;

  const contents = family === 'node' ? nodeContents(fn, codeDir, layerDir, folderName, packages, sources) : pythonContents(fn, codeDir, layerDir, packages, sources);
  const contentUri = `${templateRelative(fn.templatePath, layerDir)}/`;
  const template = editTemplate(
    facts.text,
    [
      {
        kind: 'set',
        path: ['Resources', logicalId],
        value: {
          Type: 'AWS::Serverless::LayerVersion',
          Properties: {
            Description: `${packages.join(', ')}, moved out of ${fn.logicalId}`,
            ContentUri: contentUri,
            CompatibleRuntimes: [fn.runtime],
          },
        },
      },
      { kind: 'append', path: ['Resources', fn.logicalId, 'Properties', 'Layers'], value: ref(logicalId) },
    ],
    fn.templatePath,
  );
  return {
    title: `Move ${packages.join(', ')} into a new layer, ${logicalId}`,
    changes: [
      ...contents.changes,
      `Add ${logicalId} (AWS::Serverless::LayerVersion, ContentUri ${contentUri}) to ${basename(fn.templatePath)}, and to ${fn.logicalId}'s Layers.`,
    ],
    notes: contents.notes,
    edits: [...contents.edits, { kind: 'update', path: fn.templatePath, before: facts.text, content: template.text, change: template.change }],
  };
}

interface Manifest {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function nodeContents(fn: FunctionSpec, codeDir: string, layerDir: string, folderName: string, packages: readonly string[], sources: FixSources): LayerContents {
  const manifestPath = join(codeDir, 'package.json');
  const manifestText = sources.readText(manifestPath);
  let manifest: Manifest = {};
  if (manifestText !== undefined) {
    try {
      manifest = JSON.parse(manifestText) as Manifest;
    } catch (err) {
      throw new UserError(`${manifestPath} is not valid JSON (${(err as Error).message}).`, 'Fix it, then try again.', 'manifest-invalid');
    }
  }
  const declared = { ...manifest.optionalDependencies, ...manifest.dependencies };
  const others = Object.keys(declared).filter((d) => !packages.includes(d));
  const closure = installedClosure(codeDir, packages, others);
  const missing = packages.filter((p) => !closure?.folders.includes(`node_modules/${p}`));
  if (!closure || missing.length > 0) {
    throw new UserError(`${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not installed in ${join(codeDir, 'node_modules')}, so there is nothing to move.`, 'Run npm install there, or move the package by hand.', 'fix-nothing-installed');
  }
  // Nested node_modules move with the package folder that holds them.
  const folders = closure.folders.filter((f) => !closure.folders.some((o) => f !== o && f.startsWith(`${o}/`)));
  const edits: FileEdit[] = folders.map((f) => ({ kind: 'move', from: join(codeDir, f), path: join(layerDir, 'nodejs', f) }));

  const versions = Object.fromEntries(packages.map((p) => [p, declared[p] ?? installedVersion(join(codeDir, 'node_modules', p), sources)]));
  const layerManifest = { name: folderName, version: '1.0.0', private: true, description: `Dependencies of the ${folderName} layer (moved out of ${fn.logicalId}).`, dependencies: versions };
  edits.push({ kind: 'create', path: join(layerDir, 'nodejs', 'package.json'), content: `${JSON.stringify(layerManifest, null, 2)}\n` });

  const changes = [`Move ${describeMoved(packages, folders)} from ${rel(fn, codeDir)}/node_modules to ${rel(fn, layerDir)}/nodejs/node_modules.`, `Create ${rel(fn, layerDir)}/nodejs/package.json listing ${packages.join(', ')}.`];
  const notes = [`To update the layer's packages later: npm install --prefix ${rel(fn, layerDir)}/nodejs`];
  const shared = closure.shared.filter((f) => !packages.some((p) => f === `node_modules/${p}`));
  if (shared.length > 0) {
    notes.push(`${fn.logicalId}'s other dependencies use ${shared.map((f) => f.slice(f.lastIndexOf('node_modules/') + 13)).join(', ')} too; the function loads them from the layer (/opt/nodejs/node_modules).`);
  }
  const declaredHere = packages.filter((p) => declared[p] !== undefined);
  if (manifestText !== undefined && declaredHere.length > 0) {
    const next: Record<string, unknown> = { ...manifest };
    for (const key of ['dependencies', 'optionalDependencies'] as const) {
      const deps = manifest[key];
      if (deps) next[key] = Object.fromEntries(Object.entries(deps).filter(([name]) => !packages.includes(name)));
    }
    edits.push(wholeFileUpdate(manifestPath, manifestText, `${JSON.stringify(next, null, indentOf(manifestText))}${manifestText.endsWith('\n') ? '\n' : ''}`));
    changes.push(`Remove ${declaredHere.join(', ')} from ${rel(fn, manifestPath)}.`);
    if (existsSync(join(codeDir, 'package-lock.json'))) notes.push(`Run npm install in ${rel(fn, codeDir)} to update its package-lock.json.`);
  }
  return { edits, changes, notes };
}

function pythonContents(fn: FunctionSpec, codeDir: string, layerDir: string, packages: readonly string[], sources: FixSources): LayerContents {
  const dists = installedDistributions(codeDir, sources);
  const chosen = packages.map((p) => {
    const d = findDistribution(dists, p);
    if (!d) throw new UserError(`No installed distribution provides ${p} in ${codeDir} (no .dist-info names it).`, 'Install it there with pip install -t, or move it by hand.', 'fix-nothing-installed');
    return d;
  });
  const moving = new Set(chosen);
  for (const d of chosen) {
    for (const other of dists) {
      const common = other.tops.filter((t) => d.tops.includes(t));
      if (!moving.has(other) && common.length > 0) {
        throw new UserError(`${d.name} and ${other.name} are installed into the same folder (${common.join(', ')}), so one cannot move without the other.`, 'Move them by hand.', 'fix-shared-folder');
      }
    }
  }
  const tops = [...new Set(chosen.flatMap((d) => d.tops))].filter((t) => existsSync(join(codeDir, t))).sort();
  const edits: FileEdit[] = tops.map((t) => ({ kind: 'move', from: join(codeDir, t), path: join(layerDir, 'python', t) }));

  const wanted = new Set(chosen.map((d) => normalizeName(d.name)));
  const requirementsPath = join(codeDir, 'requirements.txt');
  const requirements = sources.readText(requirementsPath);
  const lines = requirements?.split('\n') ?? [];
  const isMoved = (line: string): boolean => {
    const name = requirementName(line);
    return name !== undefined && wanted.has(normalizeName(name));
  };
  const movedLines = lines.filter(isMoved).map((l) => l.replace(/\r$/, ''));
  const declared = new Set(movedLines.map((l) => normalizeName(requirementName(l) as string)));
  const layerLines = [...movedLines, ...chosen.filter((d) => !declared.has(normalizeName(d.name))).map((d) => `${d.name}==${d.version}`)];
  edits.push({ kind: 'create', path: join(layerDir, 'python', 'requirements.txt'), content: `# Installed in this folder (pip install -r requirements.txt -t .): Lambda puts it on the path as /opt/python.\n${layerLines.join('\n')}\n` });

  const changes = [`Move ${chosen.map((d) => `${d.name} ${d.version}`).join(', ')} (${tops.join(', ')}) from ${rel(fn, codeDir)} to ${rel(fn, layerDir)}/python.`, `Create ${rel(fn, layerDir)}/python/requirements.txt listing ${chosen.map((d) => d.name).join(', ')}.`];
  if (requirements !== undefined && movedLines.length > 0) {
    edits.push(wholeFileUpdate(requirementsPath, requirements, lines.filter((l) => !isMoved(l)).join('\n')));
    changes.push(`Remove ${movedLines.map((l) => l.trim()).join(', ')} from ${rel(fn, requirementsPath)}.`);
  }
  const notes = [`To update the layer's packages later: pip install -r ${rel(fn, layerDir)}/python/requirements.txt -t ${rel(fn, layerDir)}/python`];
  return { edits, changes, notes };
}

function describeMoved(packages: readonly string[], folders: string[]): string {
  const extra = folders.length - packages.length;
  return `${packages.join(', ')}${extra > 0 ? ` and ${extra} ${extra === 1 ? 'package' : 'packages'} ${packages.length === 1 ? 'it depends' : 'they depend'} on` : ''}`;
}

function installedVersion(dir: string, sources: FixSources): string {
  try {
    const v = (JSON.parse(sources.readText(join(dir, 'package.json')) ?? '{}') as { version?: unknown }).version;
    return typeof v === 'string' ? v : '*';
  } catch {
    return '*';
  }
}

function indentOf(json: string): string {
  return /^[ \t]+/m.exec(json)?.[0] ?? '  ';
}

function wholeFileUpdate(path: string, before: string, content: string): FileEdit {
  return { kind: 'update', path, before, content, change: singleChange(before, content) };
}

function rel(fn: FunctionSpec, abs: string): string {
  return templateRelative(fn.templatePath, abs);
}
