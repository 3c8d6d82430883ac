// Bundles the extension and vscode-languageclient into one file, so the .vsix ships no
// node_modules (vsce package --no-dependencies). VS Code 1.82 runs extensions on Node 18.
import * as esbuild from 'esbuild';

await esbuild.build({
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  external: ['vscode'],
  sourcemap: false,
  minify: false,
  logLevel: 'warning',
});
