/** Sharing the backend fairly among responders: a fair query scheduler and single-flight with reuse. */
export { cancelledFailure } from './cancelled';
export { FairQueue } from './fair-queue';
export { huntFlightKey, type HuntFlightKeyInput } from './hunt-flight-key';
export { QueryScheduler, type QuerySchedulerOptions, type ScheduledTask, type ScheduleOptions, type SchedulerStats } from './query-scheduler';
export { SingleFlight, type Flight, type FlightOptions, type SingleFlightOptions } from './single-flight';
