# linreg-gpu: `make run` trains the tutorial's problem, `make test` runs the whole suite (the core's,
# then the Spark module's in local mode: modules.xml builds both in one reactor; make build and
# make run need no Spark).
MVN ?= mvn
MVN_FLAGS ?= -B -q
JAR := target/linreg.jar
# Class-data sharing: the classes a tutorial run loads (the JDK's, ours and the libraries'),
# parsed once at build time into a static archive; bin/linreg uses it only while it is newer than
# the jar. Static, not -XX:ArchiveClassesAtExit: JDK 17's dynamic archive leaves out classes of
# old class-file versions, which is all of picocli, and picocli's start is most of ours. The
# archive holds the class path as written here (absolute, as bin/linreg gives it).
ARCHIVE := target/linreg.jsa
CLASS_LIST := target/linreg.classlist
CDS_QUIET := -Xlog:cds=off -Xlog:cds+dynamic=off

.PHONY: build run test clean

build: $(JAR) $(ARCHIVE)

$(JAR): pom.xml $(shell find src/main -type f 2>/dev/null)
	$(MVN) $(MVN_FLAGS) -DskipTests package

$(ARCHIVE): $(JAR)
	rm -f $@ $(CLASS_LIST)
	java -XX:DumpLoadedClassList=$(CLASS_LIST) -cp "$(JAR):target/lib/*" linreg.cli.Main train --quiet >/dev/null 2>&1 \
		&& java -Xshare:dump -XX:SharedClassListFile=$(CLASS_LIST) -XX:SharedArchiveFile=$@ $(CDS_QUIET) \
			-cp "$(CURDIR)/$(JAR):$(CURDIR)/target/lib/*" >/dev/null 2>&1 || rm -f $@

run: build
	bin/linreg train

test:
	$(MVN) -B --no-transfer-progress -f modules.xml test

clean:
	$(MVN) $(MVN_FLAGS) -f modules.xml clean

# The README's figure: pinball loss per epoch with and without --average (diabetes, tau 0.9).
.PHONY: averaging-figure
averaging-figure: build
	java -cp "$(JAR):target/lib/*" linreg.bench.AveragingFigure src/test/resources/datasets/diabetes.csv 0.9 0.02 300 30 docs/averaging-diabetes-tau0.9.png

# kernels/README.md's kernel table, written from the declarations in linreg.gpu.KernelSignature.
.PHONY: kernel-readme
kernel-readme: $(JAR)
	java -cp "$(JAR):target/lib/*" linreg.gpu.KernelReadme kernels/README.md

# JCuda 11.8's cuBLAS binding needs libcublas.so.11, which CUDA 12/13 hosts lack: this builds one that
# forwards to the host's libcublas.so.13 or .12 (needs gcc only; native/cublas-shim/README.md).
CUBLAS_SHIM ?= build/cublas-shim
.PHONY: cublas-shim
cublas-shim:
	bash native/cublas-shim/build.sh $(CUBLAS_SHIM)

# Kernels: CUDA C in kernels/*.cu -> checked PTX in src/main/resources/ptx/ (needs nvcc, ptxas).
.PHONY: ptx
ptx:
	bash scripts/build-ptx.sh

# The CPU engine against the plain C program and the C yardstick, and the start-up of
# bin/linreg train; writes bench/results/<date>-cpu-yardstick.md, a later run that day
# <date>-cpu-yardstick-2.md and so on (about 5 to 10 minutes here).
.PHONY: bench-cpu
bench-cpu: build
	$(MAKE) -C bench/c all
	java -cp "$(JAR):target/lib/*" linreg.bench.CpuYardstick bench/c/linreg_plain bench/c/linreg_sgd bench/results

# The GPU machine has no Maven and no network: `make gpu-kit gpu-bundle` prepares everything here,
# then scripts/gpu-check.sh runs there (see README, "Running on a GPU machine").
GPU_KIT_SRC ?= ../shared/gpu-kit
GPU_KIT ?= build/gpu-kit
GPU_BUNDLE ?= build/gpu-bundle
JUNIT_CONSOLE ?= org.junit.platform:junit-platform-console-standalone:1.14.1
.PHONY: gpu-kit gpu-bundle gpu-check

gpu-kit:
	@test -f $(GPU_KIT_SRC)/build-kit.sh || { echo "no gpu-kit sources at $(GPU_KIT_SRC) (set GPU_KIT_SRC)"; exit 2; }
	rm -rf $(GPU_KIT)
	bash $(GPU_KIT_SRC)/build-kit.sh $(GPU_KIT)

# The app jar, its small dependencies, the compiled tests and a JUnit console launcher; the JCuda
# jars come from the kit (WITH_JCUDA=1 adds the project's own, 10 MB more).
gpu-bundle: build
	$(MVN) $(MVN_FLAGS) test-compile
	rm -rf $(GPU_BUNDLE)
	mkdir -p $(GPU_BUNDLE)/lib $(GPU_BUNDLE)/jcuda
	cp $(JAR) $(GPU_BUNDLE)/
	cp target/lib/*.jar $(GPU_BUNDLE)/lib/
	mv $(GPU_BUNDLE)/lib/jc*.jar $(GPU_BUNDLE)/jcuda/
	if [ "$(WITH_JCUDA)" != 1 ]; then rm -f $(GPU_BUNDLE)/jcuda/*.jar; fi
	cp -r target/test-classes $(GPU_BUNDLE)/test-classes
	$(MVN) $(MVN_FLAGS) dependency:copy -Dartifact=$(JUNIT_CONSOLE) -DoutputDirectory=$(GPU_BUNDLE) -Dmdep.stripVersion=true
	mkdir -p $(GPU_BUNDLE)/anchors
	if [ -f $(GPU_KIT_SRC)/../anchors/seed_torch.py ]; then cp $(GPU_KIT_SRC)/../anchors/seed_torch.py $(GPU_BUNDLE)/anchors/; fi
	du -sh $(GPU_BUNDLE)

gpu-check:
	bash scripts/gpu-check.sh --stage all --kit $(GPU_KIT) --bundle $(GPU_BUNDLE)

# The Spark estimator in local[4] against one machine's run (200,000 rows; a few minutes here);
# writes bench/results/<date>-spark-local.txt.
SPARK_OPENS = $$(sed -n 's:.*<spark.add-opens>\(.*\)</spark.add-opens>.*:\1:p' spark/pom.xml)
.PHONY: bench-spark
bench-spark:
	$(MVN) $(MVN_FLAGS) -f modules.xml -pl spark -am -DskipTests test-compile dependency:build-classpath \
	  -Dmdep.includeScope=test -Dmdep.outputFile=target/classpath.txt
	mkdir -p bench/results
	{ echo "command: make bench-spark ($$(date -u +%F), load average $$(cut -d' ' -f1-3 /proc/loadavg))"; \
	  java -Xmx3g $(SPARK_OPENS) -cp "spark/target/test-classes:spark/target/classes:$$(cat spark/target/classpath.txt)" \
	  linreg.spark.MixingBench 2>/dev/null; } | tee bench/results/$$(date -u +%F)-spark-local.txt

# CSV parsing speed on one core; writes bench/results/<date>-csv-speed.txt.
.PHONY: bench-csv
bench-csv: build
	mkdir -p bench/results
	{ echo "command: taskset -c 0 java -Xmx4g -cp '$(JAR):target/lib/*' linreg.bench.CsvSpeed 3000000 5"; \
	  echo "machine: $$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $$(nproc) cores, $$(date -u +%F)"; \
	  taskset -c 0 java -Xmx4g -cp "$(JAR):target/lib/*" linreg.bench.CsvSpeed 3000000 5; } \
	  | tee bench/results/$$(date -u +%F)-csv-speed.txt
