// The noise schedule comes from the checkpoint's scheduler/scheduler_config.json when the
// weight folder has it (the export recipes copy it): models.md §4 notes that the conversion
// script builds AudioLDM's scheduler from the original config's linear_start/linear_end,
// which may differ from the engine's default. Without the file (smoke graphs) the plugin's
// default applies (AudioLDM: AUDIOLDM_SCHEDULE below).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SCALED_LINEAR_SCHEDULE, type NoiseScheduleConfig } from '../../core/generation/noise-schedule.ts';

/** AudioLDM's scheduler_config.json (DDIM and PNDM alike): the latent-diffusion schedule. */
export const AUDIOLDM_SCHEDULE: NoiseScheduleConfig = SCALED_LINEAR_SCHEDULE;
import { errors } from '../../core/errors.ts';

interface DiffusersSchedulerConfig {
  num_train_timesteps?: number;
  beta_start?: number;
  beta_end?: number;
  beta_schedule?: string;
  set_alpha_to_one?: boolean;
  steps_offset?: number;
  prediction_type?: string;
}

export function scheduleFrom(config: DiffusersSchedulerConfig, base: NoiseScheduleConfig = AUDIOLDM_SCHEDULE): NoiseScheduleConfig {
  const schedule = config.beta_schedule ?? base.betaSchedule;
  const prediction = config.prediction_type ?? base.predictionType;
  if (schedule !== 'linear' && schedule !== 'scaled_linear') throw new Error(`scheduler_config.json: beta_schedule '${schedule}' is not supported`);
  if (prediction !== 'epsilon' && prediction !== 'v_prediction') throw new Error(`scheduler_config.json: prediction_type '${prediction}' is not supported`);
  return {
    numTrainTimesteps: config.num_train_timesteps ?? base.numTrainTimesteps,
    betaStart: config.beta_start ?? base.betaStart,
    betaEnd: config.beta_end ?? base.betaEnd,
    betaSchedule: schedule,
    setAlphaToOne: config.set_alpha_to_one ?? base.setAlphaToOne,
    stepsOffset: config.steps_offset ?? base.stepsOffset,
    predictionType: prediction,
  };
}

const cache = new Map<string, Promise<NoiseScheduleConfig>>();

export function checkpointSchedule(weightDir: string, fallback: NoiseScheduleConfig = AUDIOLDM_SCHEDULE): Promise<NoiseScheduleConfig> {
  let pending = cache.get(weightDir);
  if (!pending) {
    pending = readFile(join(weightDir, 'scheduler_config.json'), 'utf8').then(
      (text) => scheduleFrom(JSON.parse(text) as DiffusersSchedulerConfig, fallback),
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return fallback;
        throw errors.unavailable(`scheduler_config.json cannot be read: ${error.message}`);
      },
    );
    cache.set(weightDir, pending);
  }
  return pending;
}
