def scheduler = new File(basedir, 'target/scheduler.txt').text
assert scheduler == 'carrier' : scheduler
def ran = new File(basedir, 'target/properties-ran.txt')
assert ran.exists() : 'the *Properties class did not run'
assert ran.readLines().size() >= 20 : ran.text
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 3, Failures: 0, Errors: 0, Skipped: 0') : 'expected 2 tests + 1 property'
return true
