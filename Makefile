# linreg-gpu: `make run` trains the tutorial's problem, `make test` runs the whole suite.
MVN ?= mvn
MVN_FLAGS ?= -B -q
JAR := target/linreg.jar

.PHONY: build run test clean

build: $(JAR)

$(JAR): pom.xml $(shell find src/main -type f 2>/dev/null)
	$(MVN) $(MVN_FLAGS) -DskipTests package

run: build
	bin/linreg train

test:
	$(MVN) $(MVN_FLAGS) test

clean:
	$(MVN) $(MVN_FLAGS) clean

# Kernels: CUDA C in kernels/*.cu -> checked PTX in src/main/resources/ptx/ (needs nvcc, ptxas).
.PHONY: ptx
ptx:
	bash scripts/build-ptx.sh
