// dockerode, bundled into dist/vendor/docker.js and loaded on first use (see src/vendor/aws.ts).
export { default } from 'dockerode';
