// The process's exit codes: what a supervisor (and the cluster primary) can tell from them.

/** Stopped cleanly after SIGTERM/SIGINT, or `--check` found nothing wrong. */
export const EXIT_OK = 0
/** Anything unexpected: a bug, printed with its stack. */
export const EXIT_FAILURE = 1
/** A configuration or usage error, or a listener that cannot start: the operator's to fix; restarting will not help. */
export const EXIT_CONFIG = 2
