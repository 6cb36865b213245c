/** Black-box tests of com.example.relaycheck, on the module path as a user's would be. */
open module com.example.relaycheck.test {
    requires com.example.relaycheck;
    requires dev.turnlab.testing;
    requires org.junit.jupiter.api;
}
