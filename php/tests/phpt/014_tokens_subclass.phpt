--TEST--
ZohoOAuthTokens can be extended from PHP: the subclass's class, methods and properties, the parent's getters and setters, clone, serialize, and a custom persistence handler returning subclass objects
--FILE--
<?php
use zcrmsdk\crm\setup\restclient\ZCRMRestClient;
use zcrmsdk\oauth\ZohoOAuth;
use zcrmsdk\oauth\persistence\ZohoOAuthPersistenceInterface;
use zcrmsdk\oauth\utility\ZohoOAuthTokens;

require __DIR__ . '/../lib/helpers.php';
$url = emulator_start();
emu_client();

class MyT extends ZohoOAuthTokens
{
    public string $label = 'plain';
    public array $history = [];
    public static int $clones = 0;

    public function hi(): string { return 'hi ' . $this->getUserEmailId(); }
    public function __clone() { self::$clones++; $this->label .= ' (copy)'; }
}

class WithOwnConstructor extends ZohoOAuthTokens
{
    public function __construct(public string $tag) {}   // does not call parent::__construct()
}

$t = new MyT();
check_same(MyT::class, get_class($t), 'get_class() is the subclass');
check($t instanceof MyT && $t instanceof ZohoOAuthTokens && $t instanceof JsonSerializable, 'instanceof the subclass, the parent and its interface');
check_same(ZohoOAuthTokens::class, get_parent_class($t), 'get_parent_class() is ZohoOAuthTokens');
check(!(new ReflectionClass(ZohoOAuthTokens::class))->isFinal(), 'ZohoOAuthTokens is not final');
check_same([null, null, null, false], [$t->getRefreshToken(), $t->getUserEmailId(), $t->getExpiryTime(), $t->isValidAccessToken()], 'a new subclass object starts empty');

$t->setUserEmailId('sub@example.com');
$t->setAccessToken('1000.sub.access');
$t->setRefreshToken('1000.sub.refresh');
$expiry = $t->getCurrentTimeInMillis() + 3600000;
check_same($expiry, $t->setExpiryTime($expiry), 'the parent\'s setters work on the subclass');
check_same(['sub@example.com', '1000.sub.access', '1000.sub.refresh', $expiry, true],
    [$t->getUserEmailId(), $t->getAccessToken(), $t->getRefreshToken(), $t->getExpiryTime(), $t->isValidAccessToken()], '... and its getters');
check_same('hi sub@example.com', $t->hi(), 'the subclass\'s own method, using a parent getter');
$t->label = 'mine';
$t->history[] = 'saved';
check_same(['mine', ['saved']], [$t->label, $t->history], 'the subclass\'s own (typed) properties');

$c = clone $t;
check_same([MyT::class, 'mine (copy)', ['saved'], 1], [get_class($c), $c->label, $c->history, MyT::$clones], 'clone keeps the class and copies the properties (then __clone runs)');
$c->setUserEmailId('copy@example.com');
$c->history[] = 'changed';
check_same(['sub@example.com', ['saved'], '1000.sub.access'], [$t->getUserEmailId(), $t->history, $c->getAccessToken()], '... and the copy is independent, with the tokens');

$back = unserialize(serialize($t));
check_same([MyT::class, 'sub@example.com', '1000.sub.refresh'], [get_class($back), $back->getUserEmailId(), $back->getRefreshToken()], 'serialize()/unserialize() keep the class and the tokens');
check(!str_contains(print_r($t, true), '1000.sub') && !str_contains(json_encode($t), '1000.sub'), 'dumps of the subclass show no token');

$w = new WithOwnConstructor('tagged');
check_same([WithOwnConstructor::class, 'tagged', null], [get_class($w), $w->tag, $w->getUserEmailId()], 'a subclass constructor that skips parent::__construct() still gets working (empty) tokens');
$w->setUserEmailId('w@example.com');
check_same('w@example.com', $w->getUserEmailId(), '... and its setters');

// A custom persistence handler that stores and returns subclass objects.
class SubclassStore implements ZohoOAuthPersistenceInterface
{
    public static array $rows = [];
    public static array $saved = [];

    public function saveOAuthData($zohoOAuthTokens)
    {
        self::$saved[] = get_class($zohoOAuthTokens);
        $row = new MyT();
        $row->setUserEmailId($zohoOAuthTokens->getUserEmailId());
        $row->setRefreshToken($zohoOAuthTokens->getRefreshToken());
        $row->setAccessToken($zohoOAuthTokens->isValidAccessToken() ? $zohoOAuthTokens->getAccessToken() : null);
        $row->setExpiryTime($zohoOAuthTokens->getExpiryTime());
        $row->label = 'from save';
        self::$rows[$row->getUserEmailId()] = $row;
    }

    public function getOAuthTokens($userEmailId)
    {
        return self::$rows[$userEmailId] ?? null;
    }

    public function deleteOAuthTokens($userEmailId)
    {
        unset(self::$rows[$userEmailId]);
    }
}
ZCRMRestClient::initialize(test_config('', ['token_persistence_path' => '', 'persistence_handler_class_name' => 'SubclassStore']));
$client = ZohoOAuth::getClientInstance();

SubclassStore::$rows['sub@example.com'] = $t;
check_same('1000.sub.access', $client->getAccessToken('sub@example.com'), 'getAccessToken reads a valid token from a subclass object the handler returns');

$tokens = $client->generateAccessToken(emu_grant('ada@example.com'));
check_same([ZohoOAuthTokens::class], SubclassStore::$saved, 'saveOAuthData receives a ZohoOAuthTokens');
check(SubclassStore::$rows['ada@example.com'] instanceof MyT, '... which the handler kept as a MyT');
check_same($tokens->getAccessToken(), $client->getAccessToken('ada@example.com'), 'getAccessToken reads it back from the MyT');

$expired = SubclassStore::$rows['ada@example.com'];
$expired->setExpiryTime($expired->getCurrentTimeInMillis() - 1000);
$before = emu_counters()['token.refresh_token'];
$fresh = $client->getAccessToken('ada@example.com');
check(str_starts_with($fresh, '1000.') && $fresh !== $tokens->getAccessToken(), 'an expired MyT from the handler is refreshed with its refresh token');
check_same($before + 1, emu_counters()['token.refresh_token'], '... once');
check_same([$fresh, 'from save'], [SubclassStore::$rows['ada@example.com']->getAccessToken(), SubclassStore::$rows['ada@example.com']->label],
    '... and the new tokens went through saveOAuthData');
--EXPECT--
ok - get_class() is the subclass
ok - instanceof the subclass, the parent and its interface
ok - get_parent_class() is ZohoOAuthTokens
ok - ZohoOAuthTokens is not final
ok - a new subclass object starts empty
ok - the parent's setters work on the subclass
ok - ... and its getters
ok - the subclass's own method, using a parent getter
ok - the subclass's own (typed) properties
ok - clone keeps the class and copies the properties (then __clone runs)
ok - ... and the copy is independent, with the tokens
ok - serialize()/unserialize() keep the class and the tokens
ok - dumps of the subclass show no token
ok - a subclass constructor that skips parent::__construct() still gets working (empty) tokens
ok - ... and its setters
ok - getAccessToken reads a valid token from a subclass object the handler returns
ok - saveOAuthData receives a ZohoOAuthTokens
ok - ... which the handler kept as a MyT
ok - getAccessToken reads it back from the MyT
ok - an expired MyT from the handler is refreshed with its refresh token
ok - ... once
ok - ... and the new tokens went through saveOAuthData
