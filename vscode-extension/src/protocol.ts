// The RobustSpec language server's custom protocol (issue 6), as plain types shared by the
// extension and the tests. Nothing here imports 'vscode', so Node tests can load it.

/** The server's workspace/executeCommand ids. The extension's own commands use other ids
 *  (robustspec.client.*): vscode-languageclient registers these server ids as VS Code commands
 *  itself, and registering one twice is an error. */
export const ServerCommand = {
  verifyFile: 'robustspec.verifyFile',
  verifyProperty: 'robustspec.verifyProperty',
  copyCounterexample: 'robustspec.copyCounterexample',
  plot: 'robustspec.plot',
  itemTable: 'robustspec.itemTable',
  /** Waits for the radius quick fix's search and applies its edit (workspace/applyEdit). */
  setRadius: 'robustspec.setRadius',
} as const;

export const BoundsRequestMethod = 'robustspec/bounds';
export const VerdictsNotificationMethod = 'robustspec/verdicts';

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }

export interface BoundsParams {
  textDocument: { uri: string };
  property: string;
  /** null: every layer. */
  layer: number | null;
}

export interface NeuronBounds { lower: number; upper: number }

export interface PassBounds {
  min: number;
  max: number;
  meanWidth: number;
  stableActive: number;
  stableInactive: number;
  unstable: number;
  /** The first 16 neurons of the layer. */
  neurons: NeuronBounds[];
}

export interface LayerBounds {
  index: number;
  name: string;
  kind: string;
  size: number;
  /** Keyed by pass name, one entry per name in BoundsResult.passes that bounded this layer. */
  bounds: Record<string, PassBounds>;
}

export interface BoundsResult {
  property: string;
  network: string;
  passes: string[];
  layers: LayerBounds[];
}

export type VerdictStatus =
  | 'pending' | 'running' | 'certified' | 'falsified' | 'unknown' | 'timeout' | 'error';

export interface PropertyVerdict {
  name: string;
  status: VerdictStatus;
  pass: string | null;
  margin: number | null;
  millis: number | null;
  range: Range;
}

export interface VerdictsParams {
  uri: string;
  version: number;
  properties: PropertyVerdict[];
}

/** As `robustspec plot`: `layer` is the L-th ReLU layer counted from 1 (not a bounds layer
 *  index), `neurons` count from 0. */
export type PlotSpec =
  | { kind: 'neurons'; layer: number; neurons: [number, number] }
  | { kind: 'widths' };

export interface PlotResult { svg: string }

export interface Counterexample { input: number[]; output: number[] }

/** The per-item table of a property over a data set (robustspec.itemTable). */
export interface ItemTableResult { format: 'markdown' | 'csv'; text: string }
