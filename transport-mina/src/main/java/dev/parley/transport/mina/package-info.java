/** MINA acceptor and connector with the frame codec as filters. */
package dev.parley.transport.mina;
