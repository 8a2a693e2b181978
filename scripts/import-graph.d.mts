// Types of scripts/import-graph.mjs, for the architecture test.

export interface CrossImport {
  /** Top-level folder under server/ of the importing file, "(root)" for files directly in server/. */
  from: string;
  to: string;
  /** Paths relative to server/. */
  fromFile: string;
  toFile: string;
  /** 1-based line of the import in fromFile. */
  line: number;
  text: string;
}

export interface FolderEdge {
  from: string;
  to: string;
  count: number;
}

export interface MutualPair {
  a: string;
  b: string;
  aToB: CrossImport[];
  bToA: CrossImport[];
}

export interface ImportAnalysis {
  imports: CrossImport[];
  edges: FolderEdge[];
  mutual: MutualPair[];
  /** Groups of folders importing each other through a loop (mutual pairs included), each sorted. */
  cycles: string[][];
  /** Without a loop: the folders by layer, bottom first; a folder imports only from lower layers. */
  layers: string[][];
}

export const defaultServerDir: string;
export function analyseImports(serverDir?: string): ImportAnalysis;
export function formatMutual(mutual: MutualPair[]): string;
