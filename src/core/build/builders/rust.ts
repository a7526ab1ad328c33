// Rust (BuildMethod rust-cargolambda): SAM builds with Cargo Lambda; its absence is named with where
// to get it. The build itself is not done here yet.
import { missingToolchain } from '../toolchains';
import type { Builder } from '../types';
import { notBuiltYet } from './java';
import { findTool } from './step';

export const cargoLambdaBuilder: Builder = {
  id: 'rust-cargolambda',
  manifests: ['Cargo.toml', 'Cargo.lock'],
  excludes: ['target'],
  options: (unit) => ({ binary: unit.properties.Binary ?? null }),
  async build(ctx) {
    if (!findTool(ctx, 'cargo')) throw missingToolchain('cargoLambda', ctx.unit, 'no cargo on PATH');
    if (!findTool(ctx, 'cargo-lambda')) throw missingToolchain('cargoLambda', ctx.unit, 'no cargo-lambda on PATH');
    throw notBuiltYet(ctx, 'Cargo Lambda');
  },
};
