/**
 * A leader lease, written the way services hold one: a lock service grants a lease for a few
 * seconds, nodes renew it by heartbeat and act as leader while they believe they hold it. The
 * planted bug (a node that dates its lease from the heartbeat's reply instead of its request)
 * only shows when the network delays a heartbeat; the simulated network of aio-test finds it,
 * shrinks it to one partition and replays it (issue 17).
 */
package dev.aio4j.examples.lease;
