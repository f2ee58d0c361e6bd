'use strict';
// restify 11 loads spdy at start-up, and spdy loads http-deceiver, whose top level calls
// process.binding('http_parser') — removed in Node 22+ (and deprecated before). spdy only calls
// create() when a server is started with the `spdy` option, which this bot never does.
exports.create = function create() {
  throw new Error('SPDY/HTTP2 is not supported by Sentinel Hunt Bot (http-deceiver is stubbed for Node 22+ compatibility).');
};
