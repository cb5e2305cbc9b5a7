/**
 * The ng commands as typed values: {@link io.rtpm.ng.command.NgRequestParser} reads a request
 * dictionary into an {@link io.rtpm.ng.command.NgCommand} (ping, offer, answer, delete, query,
 * list, statistics) plus warnings, or refuses it with an {@link io.rtpm.ng.command.NgRefusal}.
 * Keys and flags are matched as rtpengine matches them (spaces and dashes alike) and
 * each is sorted into one of three groups ({@link io.rtpm.ng.command.Support}): honoured, accepted
 * with a warning, refused; {@link io.rtpm.ng.command.NgKey} and {@link io.rtpm.ng.command.NgFlag}
 * are that list, and rtpm-ng/README.md documents it. {@link io.rtpm.ng.command.NgReply} builds
 * replies.
 */
package io.rtpm.ng.command;
