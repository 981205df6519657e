/**
 * The worked port of docs/porting-guide.md: a realistic asyncio TCP health checker, line for line.
 */
package dev.aio4j.examples.healthcheck;
