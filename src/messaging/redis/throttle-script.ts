import { createHash } from 'node:crypto';

/**
 * One throttle hit as ONE Lua script, so Redis runs the read, the decision
 * and the write atomically: two instances counting the same client can never
 * both read "limit - 1" and both let a request through.
 *
 * It mirrors @nestjs/throttler 6.7.1's in-memory ThrottlerStorageService
 * (node_modules/@nestjs/throttler/dist/throttler.service.js) step by step:
 *  - a record per key: `expiresAt` (window), `blockExpiresAt`, `isBlocked`;
 *  - a sliding window of hits per throttler name, each hit expiring `ttl` ms
 *    after it was counted (a sorted set scored by expiry time);
 *  - blockDuration > 0: the hit that goes over the limit blocks the key for
 *    blockDuration ms; while blocked, hits are not counted; once the block has
 *    passed, the hits are cleared and the request counts as the first again;
 *  - blockDuration <= 0: no block; a hit at the limit is refused and not
 *    counted, and it may retry when the oldest counted hit expires.
 * Time is Redis' own clock (TIME), so instances with skewed clocks agree.
 * One deliberate difference: when not blocked, timeToBlockExpire is 0 (the
 * in-memory service returns a meaningless negative number there; the guard
 * only reads it when blocked).
 * Redis drops both keys once nothing in them matters any more (the
 * in-memory service's sweep, done with key expiry).
 *
 * ARGV[4], when given, counts that many hits in the one call, each exactly as
 * its own call would (a batch of n messages is n hits): one round trip
 * instead of n, with the answer of the last hit.
 *
 * KEYS[1] record hash, KEYS[2] hits sorted set; ARGV ttl, limit, blockDuration (ms), [hits].
 * Returns { totalHits, timeToExpire (s), isBlocked (0|1), timeToBlockExpire (s) }.
 */
export const THROTTLE_SCRIPT = `
local ttl = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local blockDuration = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)

local function secondsUntil(at)
  return math.ceil((at - now) / 1000)
end

local function hit()
  local record = redis.call('HMGET', KEYS[1], 'expiresAt', 'blockExpiresAt', 'isBlocked')
  local expiresAt = tonumber(record[1]) or (now + ttl)
  local blockExpiresAt = tonumber(record[2]) or 0
  local isBlocked = record[3] == '1'

  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  local totalHits = redis.call('ZCARD', KEYS[2])

  local timeToExpire = secondsUntil(expiresAt)
  if timeToExpire <= 0 then
    expiresAt = now + ttl
    timeToExpire = secondsUntil(expiresAt)
  end

  local function fireHit()
    local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
    redis.call('ZADD', KEYS[2], now + ttl, seq)
    totalHits = totalHits + 1
  end

  local function save()
    redis.call('HSET', KEYS[1], 'expiresAt', expiresAt, 'blockExpiresAt', blockExpiresAt, 'isBlocked', isBlocked and 1 or 0)
    local keepUntil = expiresAt
    if isBlocked and blockExpiresAt > keepUntil then keepUntil = blockExpiresAt end
    local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
    if last[2] and tonumber(last[2]) > keepUntil then keepUntil = tonumber(last[2]) end
    redis.call('PEXPIREAT', KEYS[1], keepUntil)
    redis.call('PEXPIREAT', KEYS[2], keepUntil)
  end

  if blockDuration <= 0 then
    local refused = totalHits >= limit
    if not refused then fireHit() end
    local timeToBlockExpire = 0
    if refused then
      local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
      if oldest[2] then timeToBlockExpire = secondsUntil(tonumber(oldest[2])) else timeToBlockExpire = timeToExpire end
    end
    save()
    if refused then return { totalHits + 1, timeToExpire, 1, timeToBlockExpire } end
    return { totalHits, timeToExpire, 0, 0 }
  end

  if not isBlocked then fireHit() end
  if totalHits > limit and not isBlocked then
    isBlocked = true
    blockExpiresAt = now + blockDuration
  end
  local timeToBlockExpire = secondsUntil(blockExpiresAt)
  if timeToBlockExpire <= 0 and isBlocked then
    isBlocked = false
    redis.call('DEL', KEYS[2])
    totalHits = 0
    fireHit()
  end
  save()
  if isBlocked then return { totalHits, timeToExpire, 1, timeToBlockExpire } end
  return { totalHits, timeToExpire, 0, 0 }
end

local answer
for _ = 1, math.max(1, tonumber(ARGV[4]) or 1) do answer = hit() end
return answer
`;

/** SHA-1 of the script, for EVALSHA (the script is sent in full only when Redis does not know it yet). */
export const THROTTLE_SCRIPT_SHA = createHash('sha1').update(THROTTLE_SCRIPT).digest('hex');
