'use strict';
// Keeps this process's traffic on 127.0.0.1.
//
// install() puts a guard in front of every TCP/TLS connect (net.Socket.prototype.connect, which
// http, https, tls and net.connect all go through) and of dns.lookup: a host that is not loopback
// (127.0.0.0/8, ::1, "localhost") is refused before a packet is sent, and recorded in `refused`.
// selfTest() proves the guard is in place by trying Cashfree's real sandbox host and checking
// that this guard, not the network, refused it.
//
//     const guard = require('./loopback_only');
//     guard.install();
//     await guard.selfTest();   // true
//     guard.refused;            // []

const dns = require('dns');
const net = require('net');

const MARK = 'loopback_only: refused';
/** Hosts refused since install(), in order (the self-test's own attempt is not kept). */
const refused = [];

function isLoopback(host) {
  if (host === undefined || host === null || host === '' || host === 'localhost') return true;
  const address = String(host).replace(/^\[|\]$/g, '');
  switch (net.isIP(address)) {
    case 4: return address.startsWith('127.');
    case 6: return address === '::1' || /^::ffff:127\./i.test(address);
    default: return false;
  }
}

function refusal(host) {
  refused.push(String(host));
  return new Error(`${MARK} ${host}: test traffic stays on 127.0.0.1`);
}

/** The host a connect call names, or null for a local (IPC) socket path. */
function targetHost(args) {
  let first = args[0];
  if (Array.isArray(first)) first = first[0]; // net's own normalized [options, callback]
  if (first !== null && typeof first === 'object') return first.path ? null : first.host;
  if (typeof first === 'string' && !/^\d+$/.test(first)) return null;
  return typeof args[1] === 'string' ? args[1] : undefined;
}

function install() {
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(...args) {
    const host = targetHost(args);
    if (host !== null && !isLoopback(host)) {
      const error = refusal(host);
      process.nextTick(() => this.destroy(error));
      return this;
    }
    return connect.apply(this, args);
  };
  const lookup = dns.lookup;
  dns.lookup = function guardedLookup(host, ...rest) {
    if (!isLoopback(host)) {
      const error = refusal(host);
      const callback = rest[rest.length - 1];
      if (typeof callback === 'function') process.nextTick(() => callback(error));
      return {};
    }
    return lookup.call(this, host, ...rest);
  };
  const lookupPromise = dns.promises.lookup;
  dns.promises.lookup = function guardedLookupPromise(host, ...rest) {
    if (!isLoopback(host)) return Promise.reject(refusal(host));
    return lookupPromise.call(this, host, ...rest);
  };
}

/** Resolves true when a connection to Cashfree's sandbox host is refused by this guard. */
function selfTest() {
  const before = refused.length;
  return new Promise((resolve) => {
    const socket = net.connect(443, 'sandbox.cashfree.com');
    let settled = false;
    const done = (result) => {
      if (settled) return;
      settled = true;
      refused.splice(before);
      socket.destroy();
      resolve(result);
    };
    socket.once('error', (error) => done(String(error.message).includes(MARK)));
    socket.once('connect', () => done(false));
    setTimeout(() => done(false), 2000).unref();
  });
}

module.exports = { install, selfTest, refused, isLoopback };
