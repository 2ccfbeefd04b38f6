// A swarm worker process: runs the seeds its parent sends, one at a time, and sends back each result.
import { useScenarioKeys, type ScenarioKeys } from '../harness/keys.ts';
import { mutantNamed } from '../mutants/index.ts';
import { swarmCase, type SwarmChannel } from './generate.ts';
import { runCase } from './run-case.ts';

interface Task {
  readonly seed: number;
  readonly channel: SwarmChannel;
  readonly mutant?: string;
  /** With the first task: the parent's key pairs for the worlds' default apps. */
  readonly keys?: ScenarioKeys;
}

process.on('message', (task: Task | 'stop') => {
  if (task === 'stop') {
    process.disconnect();
    return;
  }
  if (task.keys) useScenarioKeys(task.keys);
  const mutant = task.mutant ? mutantNamed(task.mutant) : undefined;
  void runCase(swarmCase(task.seed, task.channel), mutant ? { components: mutant.components } : undefined).then(
    (result) => process.send?.({ result }),
    (error: unknown) => process.send?.({ seed: task.seed, error: error instanceof Error ? error.message : String(error) }),
  );
});
process.send?.({ ready: true });
