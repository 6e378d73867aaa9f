--TEST--
unserialize() of SDK-serialized ZohoOAuthTokens whose strings are not UTF-8 fails clearly (no field turns null); getUnsavedTokens() and the other extras return only their declared types, whatever an unserialized exception holds
--FILE--
<?php
use zcrmsdk\oauth\exception\ZohoOAuthException;
use zcrmsdk\oauth\utility\ZohoOAuthTokens;

require __DIR__ . '/../lib/helpers.php';

// What the SDK's plain PHP class writes (zoho-php-sdk.md §6.1), with values as given.
function sdk_tokens(array $fields, string $class = 'zcrmsdk\oauth\utility\ZohoOAuthTokens'): string
{
    $out = 'O:' . strlen($class) . ":\"$class\":" . count($fields) . ':{';
    foreach ($fields as $name => $value) {
        $key = "\0zcrmsdk\\oauth\\utility\\ZohoOAuthTokens\0$name";
        $out .= 's:' . strlen($key) . ":\"$key\";" . match (true) {
            is_string($value) => 's:' . strlen($value) . ":\"$value\";",
            is_float($value) => "d:$value;",
            is_array($value) => 'a:0:{}',
            default => 'N;',
        };
    }
    return $out . '}';
}
$good = ['refreshToken' => '1000.ref.resh', 'accessToken' => '1000.acc.ess', 'expiryTime' => 1795316346330.0, 'userEmailId' => 'zoë@example.com'];
$t = unserialize(sdk_tokens($good));
check_same(['1000.ref.resh', 'zoë@example.com', 1795316346330.0], [$t->getRefreshToken(), $t->getUserEmailId(), $t->getExpiryTime()],
    'UTF-8 fields as the SDK serialized them read back');

// Latin-1 bytes (an SDK on a latin1 page or database wrote them): a clear error, never null.
foreach (['userEmailId' => "zo\xEB@example.com", 'refreshToken' => "1000.r\xE9fresh", 'accessToken' => "1000.\xFF"] as $field => $bytes) {
    $e = check_throws(fn() => unserialize(sdk_tokens([$field => $bytes] + $good)), ZohoOAuthException::class,
        "/field $field is a string that is not UTF-8; the tokens were not read/", 402, "unserialize(): $field not UTF-8 is a ZohoOAuthException (402, store_corrupt)");
    check(!str_contains((string) $e . $e?->getMessage(), $bytes), '... which does not echo the bytes');
}
check_throws(fn() => unserialize(sdk_tokens(['userEmailId' => []] + $good)), ZohoOAuthException::class, '/field userEmailId is not text/', 402,
    'an array where the SDK had a string: the same clear error');
$null = unserialize(sdk_tokens(['refreshToken' => null] + $good));
check($null->getRefreshToken() === null && $null->getUserEmailId() === 'zoë@example.com', 'a null field (the SDK writes N; for online access) stays null, the rest is read');
$caught = null;
try {
    unserialize('a:2:{i:0;' . sdk_tokens($good) . 'i:1;' . sdk_tokens(['userEmailId' => "\xE9"] + $good) . '}');
} catch (ZohoOAuthException $e) {
    $caught = $e;
}
check($caught !== null, 'a token file with one non-UTF-8 entry fails as a whole, not with one entry silently emptied');

// getUnsavedTokens() is declared ?ZohoOAuthTokens and the others ?string: whatever an
// unserialized (or subclassed) exception's protected properties hold, only those come out.
function exception_with(array $props): string
{
    $class = 'zcrmsdk\oauth\exception\ZohoOAuthException';
    $out = 'O:' . strlen($class) . ":\"$class\":" . count($props) . ':{';
    foreach ($props as $name => $serialized) {
        $key = "\0*\0$name";
        $out .= 's:' . strlen($key) . ":\"$key\";$serialized";
    }
    return $out . '}';
}
$hostile = unserialize(exception_with(['unsavedTokens' => 's:3:"abc";', 'zohoErrorCode' => 'a:1:{i:0;i:1;}', 'hint' => 'i:5;',
    'errorKind' => 'O:8:"stdClass":0:{}']));
check($hostile instanceof ZohoOAuthException, 'an exception with hostile properties unserializes');
check_same([null, null, null, null], [$hostile->getUnsavedTokens(), $hostile->getZohoErrorCode(), $hostile->getHint(), $hostile->getErrorKind()],
    'getUnsavedTokens() of a string, and the string getters of an array, an int, an object: null');
$other = unserialize(exception_with(['unsavedTokens' => 'O:8:"stdClass":1:{s:12:"refreshToken";s:4:"1000";}']));
check_same(null, $other->getUnsavedTokens(), 'getUnsavedTokens() of another class\'s object: null');
$kept = unserialize(exception_with(['unsavedTokens' => sdk_tokens($good), 'zohoErrorCode' => 's:12:"invalid_code";']));
$tokens = $kept->getUnsavedTokens();
check($tokens instanceof ZohoOAuthTokens && $tokens->getRefreshToken() === '1000.ref.resh', 'a ZohoOAuthTokens there is returned');
check_same('invalid_code', $kept->getZohoErrorCode(), '... and a string there too');
class MyTokens extends ZohoOAuthTokens {}
$sub = unserialize(exception_with(['unsavedTokens' => sdk_tokens($good, 'MyTokens')]));
check($sub->getUnsavedTokens() instanceof MyTokens, 'a subclass of ZohoOAuthTokens is a ZohoOAuthTokens');
--EXPECT--
ok - UTF-8 fields as the SDK serialized them read back
ok - unserialize(): userEmailId not UTF-8 is a ZohoOAuthException (402, store_corrupt)
ok - ... which does not echo the bytes
ok - unserialize(): refreshToken not UTF-8 is a ZohoOAuthException (402, store_corrupt)
ok - ... which does not echo the bytes
ok - unserialize(): accessToken not UTF-8 is a ZohoOAuthException (402, store_corrupt)
ok - ... which does not echo the bytes
ok - an array where the SDK had a string: the same clear error
ok - a null field (the SDK writes N; for online access) stays null, the rest is read
ok - a token file with one non-UTF-8 entry fails as a whole, not with one entry silently emptied
ok - an exception with hostile properties unserializes
ok - getUnsavedTokens() of a string, and the string getters of an array, an int, an object: null
ok - getUnsavedTokens() of another class's object: null
ok - a ZohoOAuthTokens there is returned
ok - ... and a string there too
ok - a subclass of ZohoOAuthTokens is a ZohoOAuthTokens
