// The @nlpjs packages ship no types: the few members the NLU uses.
declare module '@nlpjs/core' {
  export interface Container {
    register(name: string, instance: unknown, isSingleton?: boolean): void;
    get(name: string): unknown;
    use(plugin: unknown): unknown;
  }
  export function containerBootstrap(): Container;
}

declare module '@nlpjs/nlp' {
  import type { Container } from '@nlpjs/core';

  export interface NlpClassification {
    intent: string;
    score: number;
  }
  export interface NlpProcessResult {
    intent: string;
    score: number;
    classifications?: NlpClassification[];
  }
  export class Nlp {
    constructor(settings?: Record<string, unknown>);
    container: Container;
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<unknown>;
    process(locale: string, utterance: string): Promise<NlpProcessResult>;
    export(minified?: boolean): string;
    import(data: string | object): void;
  }
}

declare module '@nlpjs/lang-zh' {
  /** A container plugin: the zh tokenizer, stemmer, stopwords, normalizer and sentiment. */
  export class LangZh {
    register(container: unknown): void;
  }
}
