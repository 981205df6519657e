/**
 * A chat room on aio-http's WebSockets: the server broadcasts every message to every member, and
 * the clients keep their connections alive with heartbeat pings ({@link dev.aio4j.examples.chat.ChatRoom}).
 */
package dev.aio4j.examples.chat;
