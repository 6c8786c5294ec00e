package io.chaintrace.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Dependencies point one way, cli -> ingest -> graph -> core, with the generators (scenarios) beside the
 * store on core alone and the loopback services (test scope) used by no main code; core does no I/O and
 * its packages have no cycles.
 */
@AnalyzeClasses(packages = "io.chaintrace", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {
    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringAllDependencies()
            .layer("core").definedBy("io.chaintrace.core..")
            .layer("scenarios").definedBy("io.chaintrace.scenarios..")
            .layer("graph").definedBy("io.chaintrace.graph..")
            .layer("ingest").definedBy("io.chaintrace.ingest..")
            .layer("cli").definedBy("io.chaintrace.cli..")
            .layer("loopback").definedBy("io.chaintrace.loopback..")
            .whereLayer("cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("loopback").mayNotBeAccessedByAnyLayer()
            .whereLayer("ingest").mayOnlyBeAccessedByLayers("cli")
            .whereLayer("graph").mayOnlyBeAccessedByLayers("ingest", "cli")
            .whereLayer("scenarios").mayOnlyBeAccessedByLayers("ingest", "cli")
            .whereLayer("core").mayOnlyBeAccessedByLayers("scenarios", "graph", "ingest", "cli")
            .ignoreDependency(com.tngtech.archunit.base.DescribedPredicate.alwaysTrue(),
                    com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage("io.chaintrace.."));

    @ArchTest
    static final ArchRule coreDoesNoIo = noClasses().that().resideInAPackage("io.chaintrace.core..")
            .should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio.file..", "java.nio.channels..",
                    "java.net..", "java.net.http..", "org.rocksdb..", "org.web3j.protocol..", "okhttp3..")
            .because("core is the domain and the engine; the store and sources do I/O");

    @ArchTest
    static final ArchRule corePackagesHaveNoCycles = slices().matching("io.chaintrace.core.(*)..").should().beFreeOfCycles()
            .because("each engine package is read on its own: model <- trace <- account, compact, cluster, pattern");

    @ArchTest
    static final ArchRule rocksDbOnlyInGraph = noClasses().that().resideOutsideOfPackage("io.chaintrace.graph..")
            .should().dependOnClassesThat().resideInAPackage("org.rocksdb..")
            .because("the store is the one owner of RocksDB");
}
