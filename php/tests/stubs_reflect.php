<?php
/*
 * Prints, as JSON, the shape of the zcrmsdk classes currently defined: kind, parent,
 * interfaces, properties, and each declared method's modifiers, parameters (name, type,
 * optional, default, by-ref, variadic, attributes) and return type; and of the extension's
 * functions: return type and parameters.
 *   php -n stubs_reflect.php <stub dir>                     # the stubs, without the extension
 *   php -n -d extension=... stubs_reflect.php --extension   # the loaded extension
 */
declare(strict_types=1);

function type_of(?ReflectionType $t): ?string
{
    return $t === null ? null : (string) $t;
}

function shape(ReflectionClass $c): array
{
    $methods = [];
    foreach ($c->getMethods() as $m) {
        if ($m->getDeclaringClass()->getName() !== $c->getName()) {
            continue;
        }
        $params = [];
        foreach ($m->getParameters() as $p) {
            $params[] = [
                'name' => $p->getName(),
                'type' => type_of($p->getType()),
                'optional' => $p->isOptional(),
                'default' => $p->isDefaultValueAvailable() ? var_export($p->getDefaultValue(), true) : null,
                'byRef' => $p->isPassedByReference(),
                'variadic' => $p->isVariadic(),
                'attributes' => array_map(fn($a) => $a->getName(), $p->getAttributes()),
            ];
        }
        $methods[$m->getName()] = [
            'static' => $m->isStatic(),
            'visibility' => $m->isPublic() ? 'public' : ($m->isProtected() ? 'protected' : 'private'),
            'abstract' => $m->isAbstract(),
            'final' => $m->isFinal(),
            'return' => type_of($m->getReturnType() ?? $m->getTentativeReturnType()),
            'params' => $params,
        ];
    }
    ksort($methods);
    $properties = [];
    foreach ($c->getProperties() as $p) {
        if ($p->getDeclaringClass()->getName() === $c->getName()) {
            $properties[$p->getName()] = ($p->isPublic() ? 'public' : ($p->isProtected() ? 'protected' : 'private'))
                . ($p->isStatic() ? ' static' : '') . ' ' . (type_of($p->getType()) ?? 'mixed');
        }
    }
    ksort($properties);
    $interfaces = $c->getInterfaceNames();
    sort($interfaces);
    return [
        'kind' => $c->isInterface() ? 'interface' : 'class',
        'abstract' => $c->isAbstract() && !$c->isInterface(),
        'final' => $c->isFinal(),
        'parent' => $c->getParentClass() ? $c->getParentClass()->getName() : null,
        'interfaces' => $interfaces,
        'constants' => array_keys($c->getReflectionConstants()),
        'properties' => $properties,
        'methods' => $methods,
    ];
}

$arg = $argv[1] ?? '';
$functionsBefore = get_defined_functions()['user'];
if ($arg === '--extension') {
    $names = array_keys((new ReflectionExtension('zoho_oauth'))->getClasses());
} else {
    $files = new RecursiveIteratorIterator(new RecursiveDirectoryIterator($arg, FilesystemIterator::SKIP_DOTS));
    $before = array_merge(get_declared_classes(), get_declared_interfaces());
    $paths = [];
    foreach ($files as $file) {
        if ($file->getExtension() === 'php') {
            $paths[] = $file->getPathname();
        }
    }
    sort($paths);
    spl_autoload_register(function ($class) use ($paths) {
        foreach ($paths as $path) {
            if (str_ends_with($path, '/' . basename(str_replace('\\', '/', $class)) . '.php')) {
                require_once $path;
            }
        }
    });
    foreach ($paths as $path) {
        require_once $path;
    }
    $names = array_diff(array_merge(get_declared_classes(), get_declared_interfaces()), $before);
}
$out = [];
foreach ($names as $name) {
    $c = new ReflectionClass($name);
    $out[$c->getName()] = shape($c);
}
// Functions, keyed "function NAME", with their return type and parameters' names and types.
$functions = $arg === '--extension'
    ? array_keys((new ReflectionExtension('zoho_oauth'))->getFunctions())
    : array_diff(get_defined_functions()['user'], $functionsBefore);
foreach ($functions as $name) {
    $f = new ReflectionFunction($name);
    $out["function {$f->getName()}"] = [
        'kind' => 'function',
        'return' => type_of($f->getReturnType()),
        'params' => array_map(fn($p) => [$p->getName(), type_of($p->getType())], $f->getParameters()),
        'methods' => [],
    ];
}
ksort($out);
echo json_encode($out, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";
