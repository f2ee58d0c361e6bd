/**
 * Screenshots of the Adaptive Cards the bot really sends, for the README (docs/images/*.png).
 *
 *   npm run build && npx tsc -p scripts/tsconfig.json && node .huntbot/scripts/scripts/render-cards/render-cards.js
 *
 * 1. capture.ts starts the built bot (dist/src/index.js, embedded engine over the generated sample
 *    telemetry, a temporary store) and drives it like Teams over HTTP: `help`, `hunts rmm`,
 *    `hunt rmm anydesk all 5d`, `hunt rmm desktopnow 5d`, then the Action.Execute invokes
 *    `hit.tag` (the tag form) and `hit.tag.save` with scenario backup-job (the tagged row).
 * 2. Each card is rendered by the official Adaptive Cards JS renderer (node_modules/adaptivecards)
 *    in host.html, a Teams-like light theme, by headless Chromium (/usr/bin/chromium, or $CHROMIUM):
 *    a first pass (--dump-dom) measures the card, a second (--screenshot) shoots exactly that height.
 *
 * Options: --json-dir DIR keeps the captured card JSON there; --from-json DIR renders JSON captured
 * earlier without starting the bot; --port N (default 3979); --out DIR (default docs/images).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../src/package-root';
import { captureCards, type CapturedCards } from './capture';

/** PNG name → card width in px. The result cards ask Teams for full width ("msteams": {"width": "Full"}). */
const WIDTHS: Record<string, number> = {
  'result-card': 640,
  'tagged-row': 640,
  'anydesk-all-card': 640,
  'lookup-card': 640,
  'tag-form': 560,
  'help-card': 560,
  'catalog-card': 560,
};
/** The page puts 20 px of light grey around the card. */
const PAGE_PADDING = 20;

interface Options {
  port: number;
  outDir: string;
  jsonDir?: string;
  fromJson?: string;
}

function parseArgs(root: string, args: string[]): Options {
  const options: Options = { port: 3979, outDir: path.join(root, 'docs', 'images') };
  for (let i = 0; i < args.length; i++) {
    const value = args[i + 1];
    if (args[i] === '--port' && /^\d+$/.test(value ?? '')) options.port = Number(args[++i]);
    else if (args[i] === '--out' && value) options.outDir = path.resolve(args[++i]);
    else if (args[i] === '--json-dir' && value) options.jsonDir = path.resolve(args[++i]);
    else if (args[i] === '--from-json' && value) options.fromJson = path.resolve(args[++i]);
    else throw new Error(`unexpected argument "${args[i]}"`);
  }
  return options;
}

function chromium(profileDir: string, extra: string[], url: string): string {
  const binary = process.env.CHROMIUM || '/usr/bin/chromium';
  const flags = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--hide-scrollbars',
    '--force-device-scale-factor=1',
    '--allow-file-access-from-files',
    '--virtual-time-budget=5000',
    `--user-data-dir=${profileDir}`,
  ];
  return execFileSync(binary, [...flags, ...extra, url], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

function decodeAttribute(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** Renders one card to a PNG fitted to its height; returns the PNG's size and the renderer's warnings. */
function renderCard(root: string, work: string, name: string, card: Record<string, unknown>, outFile: string) {
  const cardScript = path.join(work, `${name}.js`);
  fs.writeFileSync(cardScript, `window.__CARD__ = ${JSON.stringify(card)};\n`);
  const cardWidth = WIDTHS[name] ?? 600;
  const url = `${pathToFileURL(path.join(root, 'scripts', 'render-cards', 'host.html')).href}?width=${cardWidth}&card=${encodeURIComponent(pathToFileURL(cardScript).href)}`;
  const pageWidth = cardWidth + 2 * PAGE_PADDING;

  const profile = () => fs.mkdtempSync(path.join(work, 'profile-'));
  const dom = chromium(profile(), ['--dump-dom', `--window-size=${pageWidth},4000`], url);
  const height = Number(/data-card-height="(\d+)"/.exec(dom)?.[1]);
  if (!height) throw new Error(`${name}: the host page did not report the card height`);
  const warnings = JSON.parse(decodeAttribute(/data-card-warnings="([^"]*)"/.exec(dom)?.[1] ?? '[]')) as string[];

  chromium(profile(), [`--screenshot=${outFile}`, `--window-size=${pageWidth},${height}`], url);
  return { width: pageWidth, height, warnings };
}

async function main(): Promise<void> {
  const root = packageRoot();
  const options = parseArgs(root, process.argv.slice(2));
  const log = (line: string) => console.log(`render-cards: ${line}`);

  let cards: CapturedCards;
  if (options.fromJson) {
    cards = {};
    for (const file of fs.readdirSync(options.fromJson).filter((f) => f.endsWith('.json'))) {
      cards[path.basename(file, '.json')] = JSON.parse(fs.readFileSync(path.join(options.fromJson, file), 'utf8'));
    }
  } else {
    cards = await captureCards(root, options.port, log);
  }
  if (options.jsonDir) {
    fs.mkdirSync(options.jsonDir, { recursive: true });
    for (const [name, card] of Object.entries(cards)) fs.writeFileSync(path.join(options.jsonDir, `${name}.json`), `${JSON.stringify(card, null, 2)}\n`);
    log(`card JSON in ${options.jsonDir}`);
  }

  fs.mkdirSync(options.outDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-render-cards-'));
  try {
    for (const [name, card] of Object.entries(cards)) {
      if (!(name in WIDTHS)) continue;
      const outFile = path.join(options.outDir, `${name}.png`);
      const { width, height, warnings } = renderCard(root, work, name, card, outFile);
      log(`${path.relative(root, outFile)} ${width}x${height}`);
      for (const warning of warnings) log(`  renderer warning: ${warning}`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`render-cards: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
