def withFlag = new File(basedir, 'target/with-flag.txt').text
def without = new File(basedir, 'target/without-flag.txt').text
assert withFlag.contains('gathered=[1, 2]')
assert withFlag.contains('scheduler=carrier') : withFlag
assert !withFlag.contains('portable scheduler') : withFlag
assert without.contains('gathered=[1, 2]')
assert without.contains('scheduler=portable') : without
// What the user sees when the flag is missing: one line naming both spellings.
assert without.contains('aio4j: portable scheduler: add --add-opens java.base/java.lang=dev.aio4j.loop (module path) or --add-opens java.base/java.lang=ALL-UNNAMED (class path) for the carrier scheduler') : without
assert without.count('aio4j: portable scheduler') == 1 : without
// Issue 12: the original checked exception, caught by an ordinary catch (IOException e).
for (String call : ['run', 'waitFor', 'timeout', 'awaitChecked']) {
    assert withFlag.contains(call + ' caught NoSuchFileException') : withFlag
    assert without.contains(call + ' caught NoSuchFileException') : without
}
return true
