--TEST--
ZohoOAuthException has the SDK's constructor (a falsy message throws "Unknown <class>") and __toString ("<class> Caused by:'<message>' in <file>(<line>)" + trace), and stays constructible, extendable and secret-free
--INI--
zend.exception_ignore_args=0
--FILE--
<?php
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\exception\ZohoOAuthException;

require __DIR__ . '/../lib/helpers.php';
$url = emulator_start();
emu_client();
$E = ZohoOAuthException::class;

class MyEx extends ZohoOAuthException {}
class AlwaysFalsy extends ZohoOAuthException
{
    public function __construct($message = null) { parent::__construct(null); }
}

// The usual constructor.
try {
    $line = __LINE__ + 1;
    throw new ZohoOAuthException('from php', 7);
} catch (ZohoOAuthException $e) {
    check_same(['from php', 7, __FILE__, $line], [$e->getMessage(), $e->getCode(), $e->getFile(), $e->getLine()], 'throw new ZohoOAuthException("m", 7): message, code, file and line');
}
$prev = new RuntimeException('inner');
check((new ZohoOAuthException('outer', 1, $prev))->getPrevious() === $prev, 'the third argument is \Exception\'s $previous');
check_same('named', (new ZohoOAuthException(code: 3, message: 'named'))->getMessage(), 'named arguments use the SDK\'s names ($message, $code)');
check_throws(fn() => new ZohoOAuthException([1]), TypeError::class, '/Argument #1 \(\$message\) must be of type string, array given/', null, 'a message without a string form is a TypeError');

// A falsy message: the SDK throws a new instance with "Unknown <class>" from the constructor.
foreach (['no argument' => [], 'null' => [null], '""' => [''], '"0"' => ['0'], 'false' => [false], 'null with code 5' => [null, 5]] as $what => $args) {
    $reached = false;
    try {
        $x = new ZohoOAuthException(...$args);
        $reached = true;
    } catch (ZohoOAuthException $e) {
    }
    check(!$reached && get_class($e) === $E && $e->getMessage() === "Unknown $E" && $e->getCode() === 0,
        "new ZohoOAuthException($what) throws \"Unknown $E\" (code 0), as the SDK does");
}
check_throws(fn() => throw new MyEx(''), MyEx::class, 'Unknown MyEx', 0, 'in a subclass the message names the subclass (get_class($this))');
check_throws(fn() => new AlwaysFalsy('x'), AlwaysFalsy::class, 'Unknown AlwaysFalsy', 0, 'a subclass constructor that always passes a falsy message does not recurse forever');
check_throws(fn() => throw new MyEx('sub', 4), $E, 'sub', 4, 'a PHP subclass is thrown and caught as ZohoOAuthException');

// __toString(): the SDK's shape.
function thrower(): never
{
    throw new ZohoOAuthException('shaped');
}
try {
    $line = __LINE__ - 3;
    thrower();
} catch (ZohoOAuthException $e) {
    $trace = $e->getTraceAsString();
    check_same("$E Caused by:'shaped' in " . __FILE__ . "($line)\n$trace", (string) $e, '__toString(): "<class> Caused by:\'<message>\' in <file>(<line>)", a newline, the trace');
    check(str_starts_with($trace, '#0 ' . __FILE__ . '(') && str_contains($trace, 'thrower()'), '... the trace being getTraceAsString()');
}
$sub = new MyEx('m2');
check(str_starts_with((string) $sub, "MyEx Caused by:'m2' in " . __FILE__ . '('), '__toString() names the subclass');
check(!str_contains((string) new ZohoOAuthException('outer', 1, $prev), 'inner'), '__toString() does not show the previous exception (the SDK\'s does not)');
$wrapped = new ZohoOAuthException(new ZohoOAuthException('inner message'));
check(str_starts_with($wrapped->getMessage(), "$E Caused by:'inner message' in " . __FILE__), 'new ZohoOAuthException($exception) nests the string form, as the SDK\'s messages do');

// Exceptions thrown by the extension have the same string form, with no secret in it.
ZCRMRestClient::initialize(test_config(temp_dir()));
$client = ZohoOAuth::getClientInstance();
try {
    $line = __LINE__ + 1;
    $client->generateAccessToken('');
} catch (ZohoOAuthException $e) {
    check(str_starts_with((string) $e, "$E Caused by:'Grant Token is not provided.' in " . __FILE__ . "($line)\n#0 " . __FILE__ . "($line): zcrmsdk\\oauth\\ZohoOAuthClient->generateAccessToken("),
        'an exception from the extension: the SDK\'s string form with the caller\'s file and line');
}
$secret = '1000.0123456789abcdef0123456789abcdef.fedcba9876543210fedcba9876543210';
try {
    $client->generateAccessTokenFromRefreshToken($secret, 'ada@example.com');
} catch (ZohoOAuthException $e) {
    $text = (string) $e;
    check(str_contains($text, 'invalid_code') && !str_contains($text, substr($secret, 0, 15)) && !str_contains($text, substr($secret, -15)),
        '... and shows no secret (the refresh token argument is a SensitiveParameter)');
}

// PHP's own report of an uncaught exception uses __toString().
$script = temp_dir() . '/uncaught.php';
file_put_contents($script, "<?php\nthrow new zcrmsdk\\oauth\\exception\\ZohoOAuthException('not caught');\n");
$out = (string) shell_exec(escapeshellarg(PHP_BINARY) . ' -n -d display_errors=1 -d extension=' . escapeshellarg(getenv('ZOHO_OAUTH_EXT')) . ' ' . escapeshellarg($script) . ' 2>&1');
check(str_contains($out, "Uncaught $E Caused by:'not caught' in $script(2)\n#0 {main}\n  thrown in $script on line 2"), 'an uncaught ZohoOAuthException is reported in the SDK\'s form');

// Reflection shows the SDK's parameters.
$params = array_map(fn($p) => $p->getName(), (new ReflectionMethod($E, '__construct'))->getParameters());
check_same(['message', 'code', 'previous'], $params, 'the constructor\'s parameters');
check_same($E, (new ReflectionMethod($E, '__toString'))->getDeclaringClass()->getName(), '__toString() is declared by ZohoOAuthException');
--EXPECT--
ok - throw new ZohoOAuthException("m", 7): message, code, file and line
ok - the third argument is \Exception's $previous
ok - named arguments use the SDK's names ($message, $code)
ok - a message without a string form is a TypeError
ok - new ZohoOAuthException(no argument) throws "Unknown zcrmsdk\oauth\exception\ZohoOAuthException" (code 0), as the SDK does
ok - new ZohoOAuthException(null) throws "Unknown zcrmsdk\oauth\exception\ZohoOAuthException" (code 0), as the SDK does
ok - new ZohoOAuthException("") throws "Unknown zcrmsdk\oauth\exception\ZohoOAuthException" (code 0), as the SDK does
ok - new ZohoOAuthException("0") throws "Unknown zcrmsdk\oauth\exception\ZohoOAuthException" (code 0), as the SDK does
ok - new ZohoOAuthException(false) throws "Unknown zcrmsdk\oauth\exception\ZohoOAuthException" (code 0), as the SDK does
ok - new ZohoOAuthException(null with code 5) throws "Unknown zcrmsdk\oauth\exception\ZohoOAuthException" (code 0), as the SDK does
ok - in a subclass the message names the subclass (get_class($this))
ok - a subclass constructor that always passes a falsy message does not recurse forever
ok - a PHP subclass is thrown and caught as ZohoOAuthException
ok - __toString(): "<class> Caused by:'<message>' in <file>(<line>)", a newline, the trace
ok - ... the trace being getTraceAsString()
ok - __toString() names the subclass
ok - __toString() does not show the previous exception (the SDK's does not)
ok - new ZohoOAuthException($exception) nests the string form, as the SDK's messages do
ok - an exception from the extension: the SDK's string form with the caller's file and line
ok - ... and shows no secret (the refresh token argument is a SensitiveParameter)
ok - an uncaught ZohoOAuthException is reported in the SDK's form
ok - the constructor's parameters
ok - __toString() is declared by ZohoOAuthException
