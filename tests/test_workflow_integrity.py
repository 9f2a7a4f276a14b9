"""Integrity of the records: concurrency, separation of duties, bad input, XML-RPC."""
