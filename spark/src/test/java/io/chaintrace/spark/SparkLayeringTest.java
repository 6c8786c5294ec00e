package io.chaintrace.spark;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The Spark jobs read the store (graph, core) and nothing above it: no ingest, no cli (whose dependency trees are not
 * theirs); and nothing below depends on them (Maven has no module that depends on spark; this keeps the code honest too).
 */
@AnalyzeClasses(packages = "io.chaintrace", importOptions = ImportOption.DoNotIncludeTests.class)
class SparkLayeringTest {
    @ArchTest
    static final ArchRule sparkReadsTheStoreOnly = noClasses().that().resideInAPackage("io.chaintrace.spark..")
            .should().dependOnClassesThat().resideInAnyPackage("io.chaintrace.ingest..", "io.chaintrace.cli..", "io.chaintrace.scenarios..")
            .because("spark -> graph -> core: the jobs read the store, they do not ingest or print");

    @ArchTest
    static final ArchRule nothingBelowUsesSpark = noClasses().that().resideInAnyPackage("io.chaintrace.core..", "io.chaintrace.graph..",
            "io.chaintrace.ingest..", "io.chaintrace.scenarios..").should().dependOnClassesThat().resideInAPackage("io.chaintrace.spark..");
}
