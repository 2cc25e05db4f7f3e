#ifndef CMN_CLOCK_H
#define CMN_CLOCK_H
/* The monotonic clock, for durations and deadlines (never the date).
 * Async-signal-safe: clock_gettime() only. */

/* Seconds since an arbitrary fixed point, with nanosecond resolution. */
double cmn_clock_now_s(void);

#endif
