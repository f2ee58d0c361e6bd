import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import type { KqlDatabase, QueryAnalysis } from '../kql';
import type { TableSchema } from '../kql/schema';
import { parserSnapshotArguments } from '../backends/parser-snapshot';
import { packageRoot } from '../package-root';
import { errorMessage } from '../util/error-message';
import type { QueryAnalyser } from './query-answer';

/** A question to the analysis process: a query and the data's own tables (KqlDatabase.extraSchemas()). */
export interface AnalysisRequest {
  id: number;
  kql: string;
  extraSchemas: readonly TableSchema[];
}

/**
 * `analysis`: the analysis as JSON text. V8's serializer recurses over the syntax tree and overflows the
 * stack of either process on a query ~1,000 operators deep (one the parser answers with KS245); JSON goes
 * deeper, and is what the kept analyses (kept-analyses.ts) hold anyway.
 */
export type AnalysisReply = { id: number; analysis: string } | { id: number; error: string };

/** The signals a terminal or a supervisor stops a command with. */
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

interface Pending {
  resolve(analysis: QueryAnalysis): void;
  reject(error: Error): void;
}

/**
 * The Kusto parser in a process of its own, started from the parser's startup snapshot, for `huntbot
 * query`: that process is ready in about 0.2 s while this one loads the data on every core, and a query
 * whose analysis is kept never starts it. The answers come over the IPC channel as JSON (see AnalysisReply).
 */
export class AnalysisProcess {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stopped: string | undefined;
  /**
   * This process stopped by a signal while a question waits: a busy analysis process would not notice
   * its parent is gone until its analysis ends, so it is stopped too, and the signal is raised again here.
   */
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.child.kill(signal);
    this.listenForSignals(false);
    process.kill(process.pid, signal);
  };

  /** Started from the parser's snapshot; undefined when there is none for this Node.js, or HUNTBOT_PARSER_SNAPSHOT=0. */
  static fromParserSnapshot(): AnalysisProcess | undefined {
    const args = parserSnapshotArguments(path.join(packageRoot(), 'bin', 'kql-analyser.js'));
    return args === undefined ? undefined : new AnalysisProcess(args);
  }

  /** `args`: what starts Node.js on a script that serves analyses (see analysis-server.ts). */
  constructor(args: readonly string[]) {
    this.child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'advanced' });
    this.child.on('message', (reply: AnalysisReply) => this.settle(reply));
    this.child.once('error', (error) => this.stop(`it could not start (${error.message})`));
    this.child.once('exit', (code, signal) => this.stop(signal ? `it was stopped by ${signal}` : `it exited with code ${code}`));
    // Nothing asked, nothing to wait for: a command that ends without asking need not close it first.
    this.child.unref();
    this.child.channel?.unref();
  }

  /** The analysis of `kql` over data with these extra tables; rejects when the process cannot answer. */
  analyse(kql: string, extraSchemas: readonly TableSchema[]): Promise<QueryAnalysis> {
    if (this.stopped !== undefined) return Promise.reject(this.failure());
    const id = this.nextId++;
    return new Promise<QueryAnalysis>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // While a question waits, the process too keeps this one alive, so that its exit is seen if it ends without answering.
      this.child.ref();
      this.child.channel?.ref();
      if (this.pending.size === 1) this.listenForSignals(true);
      this.child.send({ id, kql, extraSchemas } satisfies AnalysisRequest, (error) => {
        if (error) this.answer(id)?.reject(new Error(`the analysis process could not be asked: ${error.message}`));
      });
    });
  }

  /** Lets the process end (it exits when its channel closes); one still making an analysis nobody will read is stopped. */
  close(): void {
    if (this.pending.size > 0 && this.stopped === undefined) this.child.kill();
    if (this.child.connected) this.child.disconnect();
  }

  private settle(reply: AnalysisReply): void {
    const pending = this.answer(reply.id);
    if (!pending) return;
    if (!('analysis' in reply)) return pending.reject(new Error(`the analysis process failed: ${reply.error}`));
    try {
      pending.resolve(JSON.parse(reply.analysis) as QueryAnalysis);
    } catch (error) {
      pending.reject(new Error(`the analysis process's answer could not be read: ${errorMessage(error)}`));
    }
  }

  /** The question `id` waits no longer; the channel keeps this process alive only while some question does. */
  private answer(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    this.pending.delete(id);
    if (this.pending.size === 0) {
      this.child.channel?.unref();
      this.child.unref();
      this.listenForSignals(false);
    }
    return pending;
  }

  private listenForSignals(listen: boolean): void {
    for (const signal of SIGNALS) {
      process.off(signal, this.onSignal);
      if (listen) process.on(signal, this.onSignal);
    }
  }

  private stop(why: string): void {
    this.stopped ??= why;
    for (const id of [...this.pending.keys()]) this.answer(id)?.reject(this.failure());
  }

  private failure(): Error {
    return new Error(`the analysis process stopped: ${this.stopped}`);
  }
}

/**
 * Analyses in `analysisProcess`; when it cannot answer (it did not start, or stopped), with `fallback`,
 * so the query is still answered. `expected`: the query that will be asked, asked at once as over data
 * of bundled tables only (most data has no others; which tables it has is known only once it is
 * loaded), so its analysis is made while the data loads; other data is asked about again.
 */
export function analyserThrough(analysisProcess: AnalysisProcess, fallback: QueryAnalyser, expected?: string): QueryAnalyser {
  const early = expected === undefined ? undefined : { kql: expected, analysis: analysisProcess.analyse(expected, []) };
  // Not awaited when the data turns out to have tables of its own, or fails to load.
  early?.analysis.catch(() => undefined);
  return {
    analyse: (db, kql) => {
      const extraSchemas = db.extraSchemas();
      const analysis = early?.kql === kql && extraSchemas.length === 0 ? early.analysis : analysisProcess.analyse(kql, extraSchemas);
      return analysis.catch(() => fallback.analyse(db, kql));
    },
  };
}

/**
 * For a query whose kept analyses were made over other data (other tables of its own): a process from
 * the parser's snapshot, started only if the data loaded needs an analysis after all, which it has in
 * ~0.3 s against ~1.5 s for loading the parser in this process.
 */
export class AnalyserOnDemand implements QueryAnalyser {
  private started: AnalysisProcess | undefined;

  constructor(private readonly fallback: QueryAnalyser) {}

  analyse(db: KqlDatabase, kql: string): Promise<QueryAnalysis> {
    this.started ??= AnalysisProcess.fromParserSnapshot();
    return (this.started ? analyserThrough(this.started, this.fallback) : this.fallback).analyse(db, kql);
  }

  close(): void {
    this.started?.close();
  }
}
