import type { CatalogTool } from '../hunts/catalog';
import type { HuntDefinition } from '../hunts/types';
import type { HuntWindow } from './window';

/** An Adaptive Card as plain JSON (already expanded from a template). */
export type AdaptiveCardJson = Record<string, unknown>;

/** A hunt the user asked for, fully resolved against the catalog. */
export interface HuntRunRequest {
  family: string;
  tool: CatalogTool;
  kind: string;
  hunts: HuntDefinition[];
  window: HuntWindow;
  /** Set when the requested window was longer than the hunt allows. */
  cappedFrom?: string;
}

/** The parts of a `hunt` command still missing; the bot asks for them in a short dialog. */
export interface HuntPromptState {
  family?: string;
  tool?: string;
  kind?: string;
  window?: string;
}

/**
 * What a command wants the bot to do. Commands stay free of the Bot Framework SDK; the bot turns
 * these into activities.
 */
export type CommandReply =
  | { kind: 'text'; text: string }
  | { kind: 'card'; card: AdaptiveCardJson; summary: string }
  | { kind: 'run-hunt'; request: HuntRunRequest }
  | { kind: 'ask'; prompt: HuntPromptState };
