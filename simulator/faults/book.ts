// The rule book: installed fault rules, and the one decision of which ones fire for an exchange.
// Probabilities are drawn from a seeded stream, only for exchanges that match everything else, so the
// same seed, rules and requests fire the same faults. Every firing is a `fault.injected` event.
// Every rule is decoded on the way in, whoever adds it (control API, --faults, scenarios, code), so a
// rule typed in code gets the same refusals as one posted as JSON, and its patterns are compiled once.
import type { Clock } from '../../lib/clock.ts';
import type { EventBus } from '../../lib/events.ts';
import type { Random } from '../../lib/random.ts';
import type { SimEvent } from '../engine/events.ts';
import type { ChannelName } from '../engine/types.ts';
import { decodeRule, type Decoded } from './decode.ts';
import { magicFaults } from './magic.ts';
import { compileNumberPattern, type NumberPattern } from './number-pattern.ts';
import { faultLayer, type Fault, type FaultLayer, type FaultRule, type FaultType } from './rule.ts';

export type { FaultLayer };
export type RuleSource = 'api' | 'file' | 'scenario' | 'header' | 'magic';

export interface InstalledRule extends FaultRule {
  readonly id: string;
  readonly source: RuleSource;
  /** Exchanges that matched every field but nth and probability. */
  seen: number;
  fired: number;
}

/** What is known about one exchange when faults are decided. */
export interface Exchange {
  readonly layer: FaultLayer;
  readonly channel: ChannelName;
  /** Names the exchange answers to: the method, the v3 path, and the layer name. */
  readonly apis: readonly string[];
  readonly outTradeNo?: string;
  readonly outRequestNo?: string;
  readonly notifyKind?: string;
  /** For magic values: the trade's amount and subject. */
  readonly amountFen?: number;
  readonly subject?: string;
  /** A gateway call that creates or pays a trade (the channel says which): gateway magic acts only on these, so queries still work. */
  readonly createsTrade?: boolean;
  /** Only these fault types are considered (others neither see nor fire on this exchange). */
  readonly faultTypes?: readonly FaultType[];
}

export interface Firing {
  readonly ruleId: string;
  readonly fault: Fault;
}

/** A rule the book refused: `message` names the field and what it accepts. */
export class FaultRuleError extends Error {
  override readonly name = 'FaultRuleError';
}

/** An installed rule with its patterns compiled. */
interface Entry {
  readonly rule: InstalledRule;
  readonly outTradeNo?: NumberPattern;
  readonly outRequestNo?: NumberPattern;
}

/** A pattern that decoding accepted; failing here would be a bug in decoding. */
function compiledPattern(source: string): NumberPattern {
  const compiled = compileNumberPattern(source);
  if (!compiled.ok) throw new Error(`bug: the decoded pattern ${JSON.stringify(source)} ${compiled.reason}`);
  return compiled.pattern;
}

export class FaultBook {
  private readonly entries: Entry[] = [];
  private nextId = 1;
  private knownApis: ReadonlySet<string> | undefined;
  magicValues = true;

  constructor(
    private readonly random: Random,
    private readonly events: EventBus<SimEvent>,
    private readonly clock: Clock,
  ) {}

  /** The method and path names `match.api` may use; absent, those the loaded dialects registered. */
  setKnownApis(names: ReadonlySet<string> | undefined): void {
    this.knownApis = names;
  }

  /** Decodes a rule as `add` will, without installing it. */
  decode(value: unknown): Decoded<FaultRule> {
    return decodeRule(value, this.knownApis ? { knownApis: this.knownApis } : {});
  }

  /** Installs a rule after decoding it strictly; throws FaultRuleError naming the problem, and installs nothing. */
  add(rule: FaultRule, source: RuleSource = 'api'): InstalledRule {
    const decoded = this.decode(rule);
    if (!decoded.ok) throw new FaultRuleError(`fault rule refused: ${decoded.message}`);
    const { match } = decoded.value;
    const installed: InstalledRule = { ...decoded.value, id: `rule-${this.nextId++}`, source, seen: 0, fired: 0 };
    this.entries.push({
      rule: installed,
      ...(match.outTradeNo !== undefined ? { outTradeNo: compiledPattern(match.outTradeNo) } : {}),
      ...(match.outRequestNo !== undefined ? { outRequestNo: compiledPattern(match.outRequestNo) } : {}),
    });
    return installed;
  }

  remove(id: string): boolean {
    const index = this.entries.findIndex((entry) => entry.rule.id === id);
    if (index < 0) return false;
    this.entries.splice(index, 1);
    return true;
  }

  clear(): void {
    this.entries.length = 0;
  }

  list(): readonly InstalledRule[] {
    return this.entries.map((entry) => entry.rule);
  }

  /** The faults that fire for this exchange, in rule order, counted and announced. */
  fire(exchange: Exchange, oneOff: readonly Fault[] = []): Firing[] {
    const firings: Firing[] = [];
    for (const entry of this.entries) {
      const { rule } = entry;
      if (!this.matches(entry, exchange)) continue;
      rule.seen++;
      if (rule.match.nth !== undefined && rule.seen !== rule.match.nth) continue;
      if (rule.timesMax !== undefined && rule.fired >= rule.timesMax) continue;
      if (rule.match.probability !== undefined && !(this.random.float() < rule.match.probability)) continue;
      rule.fired++;
      firings.push({ ruleId: rule.id, fault: rule.fault });
    }
    const wanted = (fault: Fault) => faultLayer[fault.type] === exchange.layer && (exchange.faultTypes === undefined || exchange.faultTypes.includes(fault.type));
    for (const fault of oneOff) if (wanted(fault)) firings.push({ ruleId: 'header', fault });
    if (this.magicValues) {
      for (const magic of magicFaults(exchange)) if (wanted(magic.fault)) firings.push(magic);
    }
    for (const firing of firings) {
      this.events.emit({
        type: 'fault.injected', atMs: this.clock.now(), ruleId: firing.ruleId, faultType: firing.fault.type, channel: exchange.channel,
        api: exchange.apis[0] ?? exchange.layer, ...(exchange.outTradeNo ? { detail: exchange.outTradeNo } : {}),
      });
    }
    return firings;
  }

  private matches(entry: Entry, exchange: Exchange): boolean {
    const { match, fault } = entry.rule;
    // A rule naming "notify" also covers the notify-timeline faults (late_success, early_notify).
    if (faultLayer[fault.type] !== exchange.layer) return false;
    if (exchange.faultTypes !== undefined && !exchange.faultTypes.includes(fault.type)) return false;
    if (match.channel !== undefined && match.channel !== exchange.channel) return false;
    if (match.api !== undefined && !exchange.apis.includes(match.api) && match.api !== exchange.layer && !(match.api === 'notify' && exchange.layer === 'trade')) return false;
    if (entry.outTradeNo && (exchange.outTradeNo === undefined || !entry.outTradeNo.test(exchange.outTradeNo))) return false;
    if (entry.outRequestNo && (exchange.outRequestNo === undefined || !entry.outRequestNo.test(exchange.outRequestNo))) return false;
    if (match.notifyKind !== undefined && match.notifyKind !== exchange.notifyKind) return false;
    return true;
  }
}
