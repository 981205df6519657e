def moduleFlag = new File(basedir, 'target/module-flag.txt').text
def classpathFlag = new File(basedir, 'target/classpath-flag.txt').text
def noFlag = new File(basedir, 'target/no-flag.txt').text
[moduleFlag, classpathFlag, noFlag].each {
    assert it.contains('module=consumer.jpms') : it
    assert it.contains('aio-loop module=dev.aio4j.loop') : it
}
assert moduleFlag.contains('scheduler=carrier') : moduleFlag
assert !moduleFlag.contains('portable scheduler') : moduleFlag
// On the module path =ALL-UNNAMED opens java.lang to nobody that matters: portable, and said so.
assert classpathFlag.contains('scheduler=portable') : classpathFlag
assert classpathFlag.contains('aio4j: portable scheduler: add --add-opens java.base/java.lang=dev.aio4j.loop (module path)') : classpathFlag
assert noFlag.contains('scheduler=portable') : noFlag
assert noFlag.contains('aio4j: portable scheduler: add --add-opens java.base/java.lang=dev.aio4j.loop (module path)') : noFlag
return true
