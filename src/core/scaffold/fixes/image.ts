import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UserError } from '../../errors';
import { BASE_IMAGES } from '../../local/images';
import type { FunctionSpec } from '../../model/types';
import { runtimeDockerfile } from '../code/dockerfile';
import type { FileEdit } from '../edits';
import { editTemplate, type TemplateEdit } from '../template/edit';
import { resourceFacts, templateRelative } from './resource';
import { diskSources, type FixPlan, type FixSources } from './types';

/** What an image function cannot have: Lambda takes the runtime, handler and code from the image, and attaches no layers. */
const ZIP_ONLY = ['Runtime', 'Handler', 'CodeUri', 'Layers'] as const;

/**
 * Switches a zip function to PackageType Image, built the way SAM builds images (Metadata
 * Dockerfile, DockerContext, DockerTag): a Dockerfile in the function's folder, on the runtime's
 * Lambda base image, installs the dependencies its manifest lists, copies the code and names the
 * handler. The folder stays; Runtime, Handler and CodeUri leave the template.
 */
export function planSwitchToImage(fn: FunctionSpec, sources: FixSources = diskSources): FixPlan {
  const facts = resourceFacts(fn, sources, 'switching to a container image');
  const family = fn.runtime?.startsWith('nodejs') ? 'node' : fn.runtime?.startsWith('python') ? 'python' : undefined;
  const baseImage = fn.runtime ? BASE_IMAGES[fn.runtime] : undefined;
  if (!family || !baseImage || !fn.runtime) {
    throw new UserError(`${fn.logicalId} runs on ${fn.runtime ?? 'no runtime'}; the switch to an image is offered for Node.js and Python functions.`, 'Write its Dockerfile by hand.', 'fix-unsupported');
  }
  if (fn.build) {
    throw new UserError(`${fn.logicalId} is built (BuildMethod ${fn.build.method}); its image needs that build in the Dockerfile.`, 'Write its Dockerfile by hand, with a build stage.', 'fix-unsupported');
  }
  if (!fn.handler) throw new UserError(`${fn.logicalId} has no Handler to start in the image.`, 'Set Handler first.', 'fix-unsupported');
  const inherited = ZIP_ONLY.filter((k) => facts.fromGlobals.has(k));
  if (inherited.length > 0) {
    throw new UserError(
      `${fn.logicalId} takes ${inherited.join(', ')} from Globals.Function, which an image function cannot have.`,
      `Move ${inherited.join(', ')} from Globals into each function (or add them to ${fn.logicalId}'s IgnoreGlobals), then try again.`,
      'fix-globals',
    );
  }
  if (fn.layers.length > 0) {
    throw new UserError(
      `${fn.logicalId} uses ${fn.layers.length === 1 ? 'a layer' : `${fn.layers.length} layers`}, and Lambda does not attach layers to container image functions.`,
      `Copy what it needs from its layers into its folder and remove its Layers, then switch.`,
      'fix-layers',
    );
  }

  const codeDir = fn.codeUri as string;
  const manifest = family === 'node' ? 'package.json' : 'requirements.txt';
  const hasManifest = sources.readText(join(codeDir, manifest)) !== undefined;
  const context = templateRelative(fn.templatePath, codeDir);
  const dockerfile = join(codeDir, 'Dockerfile');
  const dockerignore = join(codeDir, '.dockerignore');
  const edits: FileEdit[] = [];
  const changes: string[] = [];
  const notes: string[] = [];
  if (existsSync(dockerfile)) {
    changes.push(`Build the image from the Dockerfile already in ${context}.`);
  } else {
    const content = runtimeDockerfile({ family, baseImage, handler: fn.handler, manifest: hasManifest ? (family === 'node' ? 'package*.json' : manifest) : undefined, code: ['.'] });
    edits.push({ kind: 'create', path: dockerfile, content });
    changes.push(`Create ${context}/Dockerfile: FROM ${baseImage}${hasManifest ? `, install what ${manifest} lists` : ''}, copy the folder, CMD ["${fn.handler}"].`);
  }
  if (!existsSync(dockerignore)) {
    // What the image installs from the manifest is not copied as well.
    const ignored = family === 'node' ? [...(hasManifest ? ['node_modules'] : []), '.aws-sam'] : ['__pycache__', '*.pyc', '.aws-sam'];
    edits.push({ kind: 'create', path: dockerignore, content: `${ignored.join('\n')}\n` });
    changes.push(`Create ${context}/.dockerignore (${ignored.join(', ')}).`);
  }

  const dockerContext = context === '.' ? '.' : `./${context}`;
  const templateEdits: TemplateEdit[] = [
    { kind: 'set', path: ['Resources', fn.logicalId, 'Properties', 'PackageType'], value: 'Image' },
    ...ZIP_ONLY.filter((k) => facts.own.has(k)).map((k): TemplateEdit => ({ kind: 'remove', path: ['Resources', fn.logicalId, 'Properties', k] })),
    { kind: 'set', path: ['Resources', fn.logicalId, 'Metadata', 'Dockerfile'], value: 'Dockerfile' },
    { kind: 'set', path: ['Resources', fn.logicalId, 'Metadata', 'DockerContext'], value: dockerContext },
    { kind: 'set', path: ['Resources', fn.logicalId, 'Metadata', 'DockerTag'], value: `${fn.runtime}-v1` },
  ];
  const template = editTemplate(facts.text, templateEdits, fn.templatePath);
  edits.push({ kind: 'update', path: fn.templatePath, before: facts.text, content: template.text, change: template.change });
  changes.push(
    `In ${basename(fn.templatePath)}: set ${fn.logicalId}'s PackageType to Image, remove its ${ZIP_ONLY.filter((k) => facts.own.has(k)).join(', ')} (the folder stays), and add Metadata Dockerfile, DockerContext ${dockerContext}, DockerTag ${fn.runtime}-v1.`,
  );
  notes.push('Deploys build the image with Docker and push it to Amazon ECR; local runs build it the same way.');
  return { title: `Switch ${fn.logicalId} to a container image`, changes, notes, edits };
}
